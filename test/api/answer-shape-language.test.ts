// An answer of the wrong shape is worded in the operator's language; in
// English the issue keeps Zod's own wording.
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ApiError } from '../../src/api/api-error.js';
import { readAnswer, type HttpAnswer } from '../../src/api/http-answer.js';
import { healthAnswer, loginAnswer, upsertAnswer } from '../../src/api/response-schemas.js';
import { setLanguage } from '../../src/i18n/i18n.js';

const CONTEXT = { server: 'backup', endpoint: 'POST /api/licenses', key: null } as const;

function reasonOf(schema: z.ZodType, value: unknown): string {
  const answer: HttpAnswer = { status: 200, contentType: 'application/json', body: JSON.stringify(value), retryAfter: undefined };
  try {
    readAnswer(answer, [200], schema, CONTEXT);
  } catch (error) {
    if (error instanceof ApiError) return error.reason;
    throw error;
  }
  throw new Error('expected the answer to be refused');
}

/** Zod's own English message for the first issue. */
function zodIssue(schema: z.ZodType, value: unknown): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected an issue');
  return parsed.error.issues[0]?.message ?? '';
}

const WRONG: readonly [z.ZodType, unknown, string][] = [
  [upsertAnswer, { success: 'yes', device_id: 'A' }, 'success'],
  [upsertAnswer, { success: true, device_id: 7 }, 'device_id'],
  [healthAnswer, { status: 'down' }, 'status'],
  [loginAnswer, { token: '' }, 'token'],
];

afterEach(() => setLanguage('en'));

describe('an answer of the wrong shape', () => {
  it.each(WRONG)('keeps Zod’s English wording in English (%#)', (schema, value, path) => {
    expect(reasonOf(schema, value)).toBe(`HTTP 200 with an unexpected JSON shape (${path}: ${zodIssue(schema, value)})`);
  });

  it('is worded in Portuguese when the language is pt-BR', () => {
    setLanguage('pt-BR');
    expect(WRONG.map(([schema, value]) => reasonOf(schema, value))).toEqual([
      'HTTP 200 com um JSON de formato inesperado (success: Valor inválido: esperado true)',
      'HTTP 200 com um JSON de formato inesperado (device_id: Valor inválido: esperado string, recebido number)',
      'HTTP 200 com um JSON de formato inesperado (status: Valor inválido: esperado "ok")',
      'HTTP 200 com um JSON de formato inesperado (token: Muito curto: esperado texto com pelo menos 1 caractere)',
    ]);
  });
});
