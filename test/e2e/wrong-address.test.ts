import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliRun } from '../support/cli-process.js';
import { allowedLicense, datasetOf, useSyncPair, type SyncPair } from '../support/sync-pair.js';
import { closedPort, type JsonReport } from './support/e2e-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './support/http-receiver.js';
import { makeSelfSignedCertificate, startTlsProxy, type SelfSignedCertificate, type TlsProxy } from './support/security-tls.js';

// Issue 16: what waiting cannot fix ends the wake-up within seconds, with exit 3
// and a message that names the server, its URL and the likely mistake; a
// sleeping server (503 pages) is still waited for. The wake timeout stays at its
// default (120 s) throughout: a run that ends in seconds did not wait.

const pair = useSyncPair();

/** The pair's environment shortens the wake timeout; these runs keep the default. */
const DEFAULT_WAKE_TIMEOUT = { SYNC_DBS_WAKE_TIMEOUT: undefined } as const;
/** The acceptance bound of issue 16 for a fast failure. */
const FAST_MS = 15_000;

let certificate: SelfSignedCertificate;
let tlsPort: TlsProxy;
let notTheApi: HttpReceiver;

beforeAll(async () => {
  certificate = await makeSelfSignedCertificate();
  notTheApi = await startHttpReceiver();
  tlsPort = await startTlsProxy(certificate, Number(new URL(pair().backup.url).port));
});

afterAll(async () => {
  await Promise.all([tlsPort?.close(), notTheApi?.close()]);
  await certificate?.remove();
});

beforeEach(async () => {
  notTheApi.answerWith(404);
  await pair().load(datasetOf({ licenses: [allowedLicense('w-1')] }), datasetOf({}));
});

interface WrongUrl {
  readonly what: string;
  readonly url: () => Promise<string>;
  /** The likely mistake, in the message's words. */
  readonly mistake: RegExp;
  /** A reset may pass: a couple more polls before the verdict. Every other case stops at the first poll. */
  readonly pollsAgain?: boolean;
}

const CASES: readonly WrongUrl[] = [
  {
    what: 'a host name that does not exist',
    url: () => Promise.resolve('https://no-such-host.invalid'),
    mistake: /the host name no-such-host\.invalid does not exist \(DNS lookup: ENOTFOUND\)/,
  },
  {
    what: 'https to a plain-http port',
    url: () => Promise.resolve(pair().backup.url.replace('http://', 'https://')),
    mistake: /this port answers plain http, not https/,
  },
  {
    what: 'http to a TLS port',
    url: () => Promise.resolve(tlsPort.url.replace('https://', 'http://')),
    mistake: /this port seems to expect https; write https:\/\/ instead of http:\/\//,
    pollsAgain: true,
  },
  {
    what: 'a closed port on this machine',
    url: async () => `http://127.0.0.1:${await closedPort()}`,
    mistake: /nothing listens on port \d+ of this machine \(connection refused\)/,
  },
  {
    what: 'a web server that is not the license API (404 on /health)',
    url: () => Promise.resolve(notTheApi.origin),
    mistake: /this is not the license API: GET \/health answered HTTP 404 instead of \{"status":"ok"\}/,
  },
];

async function timed(run: Promise<CliRun>): Promise<{ run: CliRun; elapsedMs: number }> {
  const started = performance.now();
  const done = await run;
  return { run: done, elapsedMs: performance.now() - started };
}

function expectNamesTheMistake(text: string, url: string, mistake: RegExp): void {
  expect(text).toContain(`${url}: `);
  expect(text).toMatch(mistake);
  expect(text).toContain('Waiting cannot fix this: check the URL.');
}

describe.each(CASES)('the backup URL points at $what', ({ url: urlOf, mistake, pollsAgain = false }) => {
  it('sync exits 3 within seconds, naming the backup, its URL and the mistake', async () => {
    const p = pair();
    const url = await urlOf();
    const { run, elapsedMs } = await timed(p.cli(['--json'], { env: { ...DEFAULT_WAKE_TIMEOUT, SYNC_DBS_BACKUP_URL: url } }));
    expect(run.exitCode, run.stderr).toBe(3);
    expect(elapsedMs).toBeLessThan(FAST_MS);
    const report = run.json<JsonReport>();
    expect(report.outcome).toBe('unreachable');
    expect(report.failures).toEqual([expect.objectContaining({ server: 'backup', endpoint: 'GET /health' })]);
    expectNamesTheMistake(report.failures[0]?.reason ?? '', url, mistake);
    expect(run.stderr).toMatch(new RegExp(`backup GET /health: ${escaped(url)}: `));
    expect(/waiting for the server to wake up/.test(run.stderr)).toBe(pollsAgain);
  });

  it('health exits 3 within seconds, saying the same of the backup and still checking the primary', async () => {
    const p = pair();
    const url = await urlOf();
    const { run, elapsedMs } = await timed(p.cli(['health'], { env: { ...DEFAULT_WAKE_TIMEOUT, SYNC_DBS_BACKUP_URL: url } }));
    expect(run.exitCode, run.stderr).toBe(3);
    expect(elapsedMs).toBeLessThan(FAST_MS);
    const [primaryPart, backupPart] = run.stdout.split('\n\n');
    expect(primaryPart).toMatch(/login: works, role admin/);
    expect(backupPart).toContain(`backup  ${url}`);
    expect(backupPart).toMatch(/reachable: no/);
    expectNamesTheMistake(backupPart ?? '', url, mistake);
  });
});

describe('the message in Brazilian Portuguese', () => {
  it('says what to check in Portuguese', async () => {
    const p = pair();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await p.cli(['health'], { env: { ...DEFAULT_WAKE_TIMEOUT, SYNC_DBS_BACKUP_URL: url, SYNC_DBS_LANG: 'pt-BR' } });
    expect(run.exitCode, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/alcançável: não/);
    expect(run.stdout).toContain(`${url}: nada atende na porta ${new URL(url).port} desta máquina (conexão recusada)`);
    expect(run.stdout).toContain('Esperar não resolve: verifique a URL.');
    expect(run.stdout).toMatch(/NÃO saudável/);
  });
});

describe('a sleeping server', () => {
  it('that answers 503 pages for 20 s and then wakes is still waited for, by sync and by health', async () => {
    const p: SyncPair = pair();
    await p.backup.control.setFaults({ coldStart: { idleMs: 600_000, wakeMs: 20_000, mode: 'error', asleepNow: true } });
    const started = performance.now();
    const [sync, health] = await Promise.all([
      p.cli(['--json'], { env: DEFAULT_WAKE_TIMEOUT, timeoutMs: 90_000 }),
      p.cli(['health'], { env: DEFAULT_WAKE_TIMEOUT, timeoutMs: 90_000 }),
    ]);
    const elapsedMs = performance.now() - started;

    expect(sync.exitCode, sync.stderr).toBe(0);
    expect(sync.json<JsonReport>().outcome).toBe('in-sync');
    expect(sync.stderr).toMatch(/backup: waiting for the server to wake up \(HTTP 503 \(HTML page\)\)/);
    expect(health.exitCode, health.stderr).toBe(0);
    expect(health.stdout).toMatch(/Healthy/);
    expect(elapsedMs).toBeGreaterThanOrEqual(20_000);
    expect((await p.backup.control.stats()).faults['cold-start-503']).toBeGreaterThanOrEqual(2);
  }, 120_000);
});

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
