import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterceptedRequest } from '../../src/emulator/server.js';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { type JsonReport } from './support/e2e-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './support/http-receiver.js';
import { filesUnder } from './support/security-outputs.js';

// A server whose error message echoes the bearer token inside a long text:
// the tool keeps a server's message as data, cut to a bounded length. It must
// blank the token before cutting, or the cut-off token is no longer
// recognised and its first characters reach every output.

const pair = useSyncPair();
let receiver: HttpReceiver;

beforeAll(async () => {
  receiver = await startHttpReceiver();
});

afterAll(async () => {
  pair().backup.emulator.intercept(null);
  await receiver.close();
});

/** Enough text before the token that a 160-character cut falls inside it. */
const PREAMBLE = 'Falha interna ao processar a requisição; diagnóstico completo para o suporte técnico, com a credencial usada: ';

/** The 8-character windows of `secret` found in `text`, at most the first few. */
function windowsOf(secret: string, text: string, width = 8): string[] {
  const found: string[] = [];
  for (let start = 0; start + width <= secret.length && found.length < 3; start++) {
    const window = secret.slice(start, start + width);
    if (text.includes(window)) found.push(window);
  }
  return found;
}

describe('a server that echoes the token inside a long error message', () => {
  it('leaves no more than a few characters of the token in stdout, stderr, --log-file, the daily logs, the state database or the alert', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('echo-1'), allowedLicense('echo-2')] }), datasetOf({}));
    const tokens = () => p.backup.control.issuedTokens();
    p.backup.emulator.intercept(async (request: InterceptedRequest) => {
      if (request.route !== 'POST /admin/devices/create') return undefined;
      const token = (await tokens()).at(-1) ?? 'no-token';
      return { status: 400, body: JSON.stringify({ error: `${PREAMBLE}${token} (fim do diagnóstico)` }) };
    });
    const logFile = path.join(p.stateDir, 'echo.log');
    const run = await p.cli(['sync', '--json', '--log-level', 'debug', '--log-file', logFile, '--notify-webhook', `${receiver.origin}/hooks/echo`]);
    p.backup.emulator.intercept(null);

    expect(run.exitCode, run.stderr).toBe(1);
    const report = run.json<JsonReport>();
    // The echo did reach the tool, blanked whole, and the message is still cut to its bounded length.
    const reasons = report.failures.map((failure) => failure.reason);
    expect(reasons).toHaveLength(2);
    for (const reason of reasons) expect(reason).toBe(`HTTP 400: ${PREAMBLE}[redacted] (fim do diagnóstico)`.slice(0, 'HTTP 400: '.length + 160));
    expect(receiver.received('/hooks/')).toHaveLength(1);

    const issued = await tokens();
    expect(issued.length).toBeGreaterThan(0);
    expect(Math.min(...issued.map((token) => token.length))).toBeGreaterThan(60);
    const outputs: Record<string, string> = {
      stdout: run.stdout,
      stderr: run.stderr,
      'log file': await readFile(logFile, 'utf8'),
      alert: receiver.received('/hooks/').map((request) => request.body).join('\n'),
      ...(await filesUnder(p.stateDir)),
    };
    expect(Object.keys(outputs).some((name) => name.startsWith('logs/sync-dbs-'))).toBe(true);
    expect(Object.keys(outputs)).toContain('state.db');
    const leaks = Object.entries(outputs).flatMap(([where, text]) => issued.flatMap((token) => windowsOf(token, text).map((window) => `${window} in ${where}`)));
    expect(leaks).toEqual([]);
  });
});
