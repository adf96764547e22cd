import type { z } from 'zod';
import { ApiError } from './api-error.js';
import { findDuplicateKeys, type DuplicateKey } from './duplicate-json-keys.js';
import { errorAnswer } from './response-schemas.js';
import { parseRetryAfter } from './retry-after.js';
import { issueText } from '../snapshot/issue-text.js';
import { quotedName, timesText } from '../snapshot/repeated-fields.js';
import type { ServerName } from '../config/sync-config.js';
import { t } from '../i18n/i18n.js';

/** One HTTP answer, body kept as text so that HTML and truncated bodies can be told apart. */
export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly retryAfter: string | undefined;
}

export interface AnswerContext {
  readonly server: ServerName;
  readonly endpoint: string;
  readonly key: string | null;
}

/** Reads one answer into what the call returns, or throws an ApiError. */
export type AnswerReader<T> = (answer: HttpAnswer, context: AnswerContext) => T;

const MAX_SERVER_MESSAGE = 160;

/** The JSON value of a successful answer, checked against `schema`; anything else becomes an ApiError. */
export function readAnswer<T>(answer: HttpAnswer, success: readonly number[], schema: z.ZodType<T>, context: AnswerContext): T {
  const value = parseAnswer(answer, success, context);
  const repeated = findDuplicateKeys(answer.body)[0];
  if (repeated !== undefined) throw repeatedMemberError(answer, context, repeated);
  return checkShape(answer, value, schema, context);
}

/** A reader for `call`: `readAnswer` with these success statuses and schema. */
export function expecting<T>(success: readonly number[], schema: z.ZodType<T>): AnswerReader<T> {
  return (answer, context) => readAnswer(answer, success, schema, context);
}

/** The JSON value of a successful answer, unchecked; a failure status, an HTML page or invalid JSON becomes an ApiError. */
export function parseAnswer(answer: HttpAnswer, success: readonly number[], context: AnswerContext): unknown {
  const fail = (kind: ApiError['kind'], reason: string, retryAfterMs: number | null = null) =>
    new ApiError({ ...context, kind, status: answer.status, reason, retryAfterMs });

  if (!success.includes(answer.status)) {
    const message = serverMessage(answer);
    const { status } = answer;
    const described = message
      ? t('api:answer.statusWithMessage', { status, message })
      : isHtml(answer)
        ? t('api:answer.statusHtmlPage', { status })
        : t('api:answer.status', { status });
    if (answer.status === 401) throw fail('unauthorized', described);
    if (answer.status === 429 || answer.status >= 500) throw fail('http', described, parseRetryAfter(answer.retryAfter));
    throw fail('rejected', described);
  }
  if (isHtml(answer)) throw fail('malformed', t('api:answer.htmlInsteadOfJson', { status: answer.status }));
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    throw fail('malformed', t('api:answer.invalidJson', { status: answer.status, length: answer.body.length }));
  }
}

export function checkShape<T>(answer: HttpAnswer, value: unknown, schema: z.ZodType<T>, context: AnswerContext): T {
  const parsed = schema.safeParse(value, { error: issueText });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const values = { status: answer.status, issue: issue?.message ?? t('api:answer.invalidIssue') };
    throw new ApiError({
      ...context,
      kind: 'malformed',
      status: answer.status,
      reason:
        issue && issue.path.length > 0 ? t('api:answer.unexpectedShapeAt', { ...values, path: issue.path.join('.') }) : t('api:answer.unexpectedShape', values),
    });
  }
  return parsed.data;
}

/** JSON.parse would keep one of the copies silently: the answer cannot be believed. */
export function repeatedMemberError(answer: HttpAnswer, context: AnswerContext, repeated: DuplicateKey): ApiError {
  const values = { status: answer.status, name: quotedName(repeated.key), times: timesText(repeated.count) };
  return new ApiError({
    ...context,
    kind: 'malformed',
    status: answer.status,
    reason:
      repeated.path.length === 0
        ? t('api:answer.repeatedMember', values)
        : t('api:answer.repeatedMemberIn', { ...values, where: quotedName(repeated.path.join('.')) }),
  });
}


function isHtml(answer: HttpAnswer): boolean {
  return answer.contentType.includes('html') || /^\s*</.test(answer.body.slice(0, 64));
}

/** The server's own `{"error": ...}` text, kept as data for the operator. */
function serverMessage(answer: HttpAnswer): string | null {
  if (!answer.contentType.includes('json')) return null;
  try {
    const parsed = errorAnswer.safeParse(JSON.parse(answer.body));
    return parsed.success ? parsed.data.error.slice(0, MAX_SERVER_MESSAGE) : null;
  } catch {
    return null;
  }
}
