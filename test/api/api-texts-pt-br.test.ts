import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error.js';
import { sendErrorText } from '../../src/api/failure-texts.js';
import { readAnswer, type HttpAnswer } from '../../src/api/http-answer.js';
import { NoAnswerError } from '../../src/api/http-transport.js';
import { limitChangeText } from '../../src/api/limit-change-text.js';
import { pathSegment } from '../../src/api/path-segment.js';
import { RateLimitGate } from '../../src/api/rate-limit-gate.js';
import { healthAnswer } from '../../src/api/response-schemas.js';
import { setLanguage } from '../../src/i18n/i18n.js';
import { recordingLog } from './support/client-harness.js';

// The API layer's own words (errors, log lines) come from the `api` catalog:
// the same facts in English and in Brazilian Portuguese. Server names,
// endpoints, records and status codes stay as they are.

const CONTEXT = { server: 'backup', endpoint: 'GET /health', key: null } as const;
const answer = (status: number, body: string, contentType = 'text/html'): HttpAnswer => ({ status, body, contentType, retryAfter: undefined });

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error.reason;
    throw error;
  }
  throw new Error('expected an ApiError');
}

afterEach(() => {
  setLanguage('en');
});

describe('the api catalog', () => {
  it('words an error with its server, endpoint and record, in either language', () => {
    const details = { server: 'backup', endpoint: 'POST /admin/devices/create', key: 'dev-1', kind: 'http', status: 503, reason: 'HTTP 503' } as const;
    expect(new ApiError(details).message).toBe('backup POST /admin/devices/create [dev-1]: HTTP 503');
    setLanguage('pt-BR');
    expect(new ApiError(details).message).toBe('backup POST /admin/devices/create [dev-1]: HTTP 503');
    expect(new ApiError({ ...details, key: null }).message).toBe('backup POST /admin/devices/create: HTTP 503');
  });

  it('words unreadable answers in Brazilian Portuguese', () => {
    setLanguage('pt-BR');
    expect(reasonOf(() => readAnswer(answer(503, '<html>sleeping</html>'), [200], healthAnswer, CONTEXT))).toBe('HTTP 503 (página HTML)');
    expect(reasonOf(() => readAnswer(answer(200, '<html>hi</html>'), [200], healthAnswer, CONTEXT))).toBe('HTTP 200 com uma página HTML em vez de JSON');
    expect(reasonOf(() => readAnswer(answer(200, '{"status":', 'application/json'), [200], healthAnswer, CONTEXT))).toBe(
      'HTTP 200 com um corpo que não é JSON válido (10 caracteres; cortado?)',
    );
    expect(reasonOf(() => readAnswer(answer(200, '{"status":"ok","status":"ok"}', 'application/json'), [200], healthAnswer, CONTEXT))).toMatch(
      /^HTTP 200 com o membro JSON "status" repetido \(/,
    );
  });

  it('words requests without an answer in Brazilian Portuguese, numbers the Brazilian way', () => {
    setLanguage('pt-BR');
    expect(sendErrorText(new NoAnswerError('ECONNREFUSED'), 30_000)).toBe('conexão recusada (ECONNREFUSED)');
    expect(sendErrorText(new NoAnswerError('TIMEOUT'), 2_500)).toBe('sem resposta em 2,5 s');
    expect(sendErrorText(new NoAnswerError('EWHATEVER'), 2_500)).toBe('sem resposta (EWHATEVER)');
  });

  it('words log lines in Brazilian Portuguese', () => {
    setLanguage('pt-BR');
    const log = recordingLog();
    new RateLimitGate('backup', log).pause(1_500);
    expect(log.lines).toEqual(['warn backup: limite de requisições atingido (HTTP 429); pausando as requisições por 1,5 s']);
    expect(limitChangeText('backup', 'write', { from: 4, to: 2, cause: 'server-error', latencyMs: 1_234.4, bestMs: 50 })).toBe(
      'backup: concorrência de gravação 4 -> 2 (uma resposta 5xx: 1.234 ms, melhor 50 ms)',
    );
  });

  it('keeps the English log lines as they were', () => {
    expect(limitChangeText('backup', 'read', { from: 4, to: 5, cause: 'steady-latency', latencyMs: 52, bestMs: null })).toBe(
      'backup: read concurrency 4 -> 5 (latency steady: 52 ms)',
    );
  });

  it('words a device_id that cannot be sent in a path in Brazilian Portuguese', () => {
    setLanguage('pt-BR');
    const context = { server: 'backup', endpoint: 'DELETE /admin/devices/:device_id/delete', key: 'a/b' } as const;
    expect(reasonOf(() => pathSegment('a/b', context))).toMatch(/^o device_id "a\/b" não pode ir no caminho de uma URL/);
    expect(reasonOf(() => pathSegment('', context))).toBe('o device_id está vazio; não pode ir no caminho de uma URL');
  });
});
