import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliRun } from '../support/cli-process.js';
import { allowedLicense, datasetOf, useSyncPair, type SyncPair } from '../support/sync-pair.js';
import { deviceIds, type JsonReport } from './support/e2e-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './support/http-receiver.js';
import { makeSelfSignedCertificate, startTlsProxy, type SelfSignedCertificate, type TlsProxy } from './support/security-tls.js';

// Transport security cannot be configured away. Certificates are always
// verified: no flag, environment variable, .env line or config file key turns
// the check off (each is refused as unknown), and NODE_TLS_REJECT_UNAUTHORIZED=0
// (which silently disables Node's default) changes nothing; a private CA is
// trusted only through --ca-file, and even then the host name must match.
// Plain http to another machine is refused before any request unless
// --allow-insecure-http says so. test/api/tls.test.ts proves the client side
// in-process; exit-codes.test.ts the basic http refusal of a backup URL.

const pair = useSyncPair();

let certificate: SelfSignedCertificate;
let backupProxy: TlsProxy;
let receiver: HttpReceiver;
let receiverProxy: TlsProxy;

beforeAll(async () => {
  certificate = await makeSelfSignedCertificate();
  receiver = await startHttpReceiver();
  [backupProxy, receiverProxy] = await Promise.all([startTlsProxy(certificate, Number(new URL(pair().backup.url).port)), startTlsProxy(certificate, receiver.port)]);
});

beforeEach(async () => {
  receiver.clear();
  await pair().load(datasetOf({ licenses: [allowedLicense('tls-1'), allowedLicense('tls-2')] }), datasetOf({}));
});

afterAll(async () => {
  await Promise.all([backupProxy?.close(), receiverProxy?.close(), receiver?.close()]);
  await certificate?.remove();
});

/** No API request reached either emulator (the run stopped before sending one, or its TLS handshake failed). */
async function expectNoRequestReached(p: SyncPair): Promise<void> {
  for (const server of [p.primary, p.backup]) expect((await server.control.stats()).requests).toEqual({});
}

/** Certificate failures are network errors: retried, so keep the attempts few. */
const ONE_ATTEMPT = { SYNC_DBS_RETRIES: '1', SYNC_DBS_WAKE_TIMEOUT: '0' } as const;
const TLS_CHECKS_OFF = { NODE_TLS_REJECT_UNAUTHORIZED: '0' } as const;

/** Names a setting to turn certificate checks off could plausibly have. */
const DISABLING_NAMES = [
  'insecure',
  'tls-verify',
  'verify-tls',
  'no-verify',
  'reject-unauthorized',
  'ssl-verify',
  'strict-ssl',
  'skip-tls-verify',
  'tls-insecure',
  'no-check-certificate',
  'ignore-certificate-errors',
] as const;
const envName = (name: string) => `SYNC_DBS_${name.toUpperCase().replaceAll('-', '_')}`;

describe('no setting can turn certificate verification off', () => {
  it('refuses each such flag as unknown (exit 2, naming it), before any request', async () => {
    const p = pair();
    const flags = [...DISABLING_NAMES.map((name) => `--${name}=false`), '--rejectUnauthorized=false', '--no-verify-certificates', '-k'];
    const run = await p.cli(flags);
    expect(run.exitCode).toBe(2);
    const unknown = [...run.stderr.matchAll(/unknown option --?([\w-]+)/g)].map((match) => match[1]);
    // A bare --no-X flag is named by X; --rejectUnauthorized once, as --reject-unauthorized, also given.
    expect(unknown).toEqual(expect.arrayContaining([...DISABLING_NAMES, 'verify-certificates', 'k']));
    await expectNoRequestReached(p);
  });

  it('refuses each such SYNC_DBS_* variable, in the environment and in a .env file, as unknown (exit 2, naming it)', async () => {
    const p = pair();
    const variables = Object.fromEntries([...DISABLING_NAMES.map(envName), 'SYNC_DBS_REJECTUNAUTHORIZED'].map((name) => [name, '0']));
    const fromEnvironment = await p.cli([], { env: variables });
    await writeFile(path.join(p.stateDir, '.env'), Object.entries(variables).map(([name, value]) => `${name}=${value}\n`).join(''));
    const fromEnvFile = await p.cli([]);
    for (const [run, source] of [
      [fromEnvironment, 'environment'],
      [fromEnvFile, `.env file ${path.join(p.stateDir, '.env')}`],
    ] as const) {
      expect(run.exitCode).toBe(2);
      for (const name of Object.keys(variables)) expect(run.stderr).toContain(`${name} (${source}): unknown setting`);
    }
    await expectNoRequestReached(p);
  });

  it('refuses each such config file key as unknown (exit 2, naming it)', async () => {
    const p = pair();
    const keys = [...DISABLING_NAMES, 'rejectUnauthorized', 'tls', 'verify'];
    const configFile = path.join(p.stateDir, 'sync-dbs.json');
    await writeFile(configFile, JSON.stringify(Object.fromEntries(keys.map((key) => [key, false]))));
    const run = await p.cli(['--config', configFile]);
    expect(run.exitCode).toBe(2);
    for (const key of keys) expect(run.stderr).toContain(`${key} (config file ${configFile}): unknown setting`);
    await expectNoRequestReached(p);
  });
});

describe('NODE_TLS_REJECT_UNAUTHORIZED=0 does not disable certificate verification', () => {
  /** The backup behind TLS with a self-signed certificate. */
  const overTls = (extra: Readonly<Record<string, string>> = {}) => ({ SYNC_DBS_BACKUP_URL: backupProxy.url, ...ONE_ATTEMPT, ...extra });

  it('refuses a self-signed backup with that variable in the environment (exit 3, suggests --ca-file), --allow-insecure-http notwithstanding', async () => {
    const p = pair();
    const handshakes = backupProxy.handshakes;
    const run = await p.cli(['--json', '--allow-insecure-http'], { env: overTls(TLS_CHECKS_OFF) });
    expect(run.exitCode, run.stderr).toBe(3);
    const report = run.json<JsonReport>();
    expect(report.outcome).toBe('unreachable');
    expect(report.failures).toEqual([expect.objectContaining({ server: 'backup', reason: expect.stringMatching(/TLS certificate is self-signed \(use --ca-file\)/) })]);
    expect(run.stderr).toMatch(/self-signed \(use --ca-file\)/);
    expect(backupProxy.handshakes).toBe(handshakes);
    expect((await p.backup.control.stats()).requests).toEqual({});
    expect(await deviceIds(p.backup)).toEqual([]);
  });

  it('says that it ignores the variable', async () => {
    const p = pair();
    const run = await p.cli(['health'], { env: overTls(TLS_CHECKS_OFF) });
    expect(run.exitCode).toBe(3);
    // Node prints its own "(node:PID) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED..."; the tool's is another line.
    const ownLines = run.stderr.split('\n').filter((line) => !line.startsWith('(node:'));
    expect(ownLines.filter((line) => line.includes('NODE_TLS_REJECT_UNAUTHORIZED'))).toHaveLength(1);
  });

  it('refuses it with that variable in a .env file too', async () => {
    const p = pair();
    await writeFile(path.join(p.stateDir, '.env'), 'NODE_TLS_REJECT_UNAUTHORIZED=0\n');
    const run = await p.cli(['--json'], { env: overTls() });
    expect(run.exitCode, run.stderr).toBe(3);
    expect(run.json<JsonReport>().failures[0]?.reason).toMatch(/self-signed/);
    expect((await p.backup.control.stats()).requests).toEqual({});
  });

  it('syncs through it once --ca-file names its certificate, and still checks the host name', async () => {
    const p = pair();
    const trusted = await p.cli(['--json', '--ca-file', certificate.certFile], { env: overTls(TLS_CHECKS_OFF) });
    expect(trusted.exitCode, trusted.stderr).toBe(0);
    expect(trusted.json<JsonReport>().outcome).toBe('in-sync');
    expect((await deviceIds(p.backup)).sort()).toEqual(['tls-1', 'tls-2']);

    // The certificate is for localhost only: the same server named 127.0.0.1 is refused even with its CA trusted.
    const otherName = await p.cli(['--json', '--ca-file', certificate.certFile], {
      env: overTls({ ...TLS_CHECKS_OFF, SYNC_DBS_BACKUP_URL: backupProxy.url.replace('localhost', '127.0.0.1') }),
    });
    expect(otherName.exitCode, otherName.stderr).toBe(3);
    expect(otherName.json<JsonReport>().failures[0]?.reason).toMatch(/TLS certificate does not match the host name/);
  });

  it('does not deliver alerts to a webhook or ping URL whose certificate is self-signed', async () => {
    const p = pair();
    await p.backup.control.setFaults({ down: true });
    const run: CliRun = await p.cli([], {
      env: { ...ONE_ATTEMPT, ...TLS_CHECKS_OFF, SYNC_DBS_NOTIFY_WEBHOOK: `${receiverProxy.url}/hooks/tls-token`, SYNC_DBS_PING_URL: `${receiverProxy.url}/ping/tls-uuid` },
    });
    expect(run.exitCode, run.stderr).toBe(3);
    expect(run.stderr).toContain(`Could not send the webhook notification to ${receiverProxy.url}`);
    expect(receiver.requests.map((request) => request.path)).toEqual([]);
  });
});

describe('plain http to another machine', () => {
  const remote = 'http://remote.example.invalid';
  const cases = [
    { what: 'the primary', env: { SYNC_DBS_PRIMARY_URL: remote }, label: 'SYNC_DBS_PRIMARY_URL (environment)', host: 'remote.example.invalid' },
    { what: 'a backup', env: { SYNC_DBS_BACKUP_URL: remote }, label: 'SYNC_DBS_BACKUP_URL (environment)', host: 'remote.example.invalid' },
    { what: 'the webhook', env: { SYNC_DBS_NOTIFY_WEBHOOK: `${remote}/hooks/x` }, label: 'SYNC_DBS_NOTIFY_WEBHOOK (environment)', host: remote },
    { what: 'the ping URL', env: { SYNC_DBS_PING_URL: `${remote}/ping/x` }, label: 'SYNC_DBS_PING_URL (environment)', host: remote },
  ] as const;

  it.each(cases)('is refused for $what without --allow-insecure-http (exit 2), before any request', async ({ env, label, host }) => {
    const p = pair();
    const run = await p.cli([], { env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${label}: uses plain http to ${host}, which is not this machine`);
    expect(run.stderr).toMatch(/--allow-insecure-http/);
    await expectNoRequestReached(p);
  });

  it('is refused when insecure http is explicitly off, and that is the default', async () => {
    const p = pair();
    const configFile = path.join(p.stateDir, 'sync-dbs.json');
    await writeFile(configFile, JSON.stringify({ 'allow-insecure-http': false }));
    const runs = [
      await p.cli([], { env: { SYNC_DBS_BACKUP_URL: remote, SYNC_DBS_ALLOW_INSECURE_HTTP: 'false' } }),
      await p.cli(['--config', configFile], { env: { SYNC_DBS_BACKUP_URL: remote } }),
      await p.cli(['--no-allow-insecure-http'], { env: { SYNC_DBS_BACKUP_URL: remote } }),
    ];
    for (const run of runs) {
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/plain http to remote\.example\.invalid/);
    }
    const help = await p.cli(['--help']);
    expect(help.stdout).toMatch(/--allow-insecure-http\s+allow plain http[^[]*\[boolean\] \[default: false\]/);
    await expectNoRequestReached(p);
  });

  it('is refused for names that only look like this machine', async () => {
    const p = pair();
    const lookalikes = ['http://localhost.example.invalid', 'http://127.0.0.1.example.invalid', 'HTTP://REMOTE.EXAMPLE.INVALID:8080', 'http://127.0.0.1@remote.example.invalid'];
    for (const url of lookalikes) {
      const run = await p.cli([], { env: { SYNC_DBS_BACKUP_URL: url } });
      expect(run.exitCode, url).toBe(2);
      expect(run.stderr, url).toMatch(/SYNC_DBS_BACKUP_URL \(environment\):.*uses plain http to [a-z0-9.]+\.example\.invalid, which is not this machine/);
    }
    await expectNoRequestReached(p);
  });

  // With the flag the same URLs would be contacted; another invalid setting keeps the run at the configuration
  // stage, so the flag is seen to lift exactly the http refusal without anything being contacted.
  it('is accepted with --allow-insecure-http (flag or environment), for servers and alert URLs alike', async () => {
    const p = pair();
    const env = { SYNC_DBS_PRIMARY_URL: remote, SYNC_DBS_BACKUP_URL: `${remote}:8081`, SYNC_DBS_NOTIFY_WEBHOOK: `${remote}/hooks/x`, SYNC_DBS_PING_URL: `${remote}/ping/x` };
    const refused = await p.cli(['--concurrency', '0'], { env });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.match(/uses plain http/g)).toHaveLength(4);
    for (const allowed of [
      await p.cli(['--concurrency', '0', '--allow-insecure-http'], { env }),
      await p.cli(['--concurrency', '0'], { env: { ...env, SYNC_DBS_ALLOW_INSECURE_HTTP: 'true' } }),
    ]) {
      expect(allowed.exitCode).toBe(2);
      expect(allowed.stderr).toMatch(/--concurrency \(flag\)/);
      expect(allowed.stderr).not.toMatch(/plain http/);
    }
    await expectNoRequestReached(p);
  });
});
