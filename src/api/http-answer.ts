import type { z } from 'zod';
import { ApiError } from './api-error.js';
import { errorAnswer } from './response-schemas.js';
import { parseRetryAfter } from './retry-after.js';
import type { ServerName } from '../run/run-result.js';

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

const MAX_SERVER_MESSAGE = 160;

/** The JSON value of a successful answer, checked against `schema`; anything else becomes an ApiError. */
export function readAnswer<T>(answer: HttpAnswer, success: readonly number[], schema: z.ZodType<T>, context: AnswerContext): T {
  const fail = (kind: ApiError['kind'], reason: string, retryAfterMs: number | null = null) =>
    new ApiError({ ...context, kind, status: answer.status, reason, retryAfterMs });

  if (!success.includes(answer.status)) {
    const message = serverMessage(answer);
    const described = `HTTP ${answer.status}${message ? `: ${message}` : isHtml(answer) ? ' (HTML page)' : ''}`;
    if (answer.status === 401) throw fail('unauthorized', described);
    if (answer.status === 429 || answer.status >= 500) throw fail('http', described, parseRetryAfter(answer.retryAfter));
    throw fail('rejected', described);
  }
  if (isHtml(answer)) throw fail('malformed', `HTTP ${answer.status} with an HTML page instead of JSON`);
  let value: unknown;
  try {
    value = JSON.parse(answer.body);
  } catch {
    throw fail('malformed', `HTTP ${answer.status} with a body that is not valid JSON (${answer.body.length} characters; truncated?)`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw fail('malformed', `HTTP ${answer.status} with an unexpected JSON shape (${where}${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
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
