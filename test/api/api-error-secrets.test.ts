import { inspect } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiError } from '../../src/api/api-error.js';
import { useEmulator } from '../support/emulator-fixture.js';
import { allowedLicense, datasetOf } from '../support/sync-pair.js';
import { apiErrorOf, closeClientsAfterEach, closedPortUrl, makeClient, resetEmulator } from './support/client-harness.js';

const handle = useEmulator();
closeClientsAfterEach();

// Distinctive values, so that a leak cannot hide behind a common word.
const PASSWORD = 'Pw-Zq7Xk2Vr9Lm4Ns8Tb';
const WRONG_PASSWORD = 'Wrong-Jd3Hf6Gk1Qp5Wz';
const NEW_USER_PASSWORD = 'NewUser-Yc8Rv2Bn4Mx6';
const USERNAME = 'operador-central';
const DEVICE = 'abcdef0123456789abcdef0123456789';

beforeEach(async () => {
  await resetEmulator(
    handle(),
    datasetOf({
      users: [
        { username: USERNAME, password: PASSWORD, role: 'admin' },
        { username: 'ja-existe', password: 'ja-existe-senha', role: 'user' },
      ],
      licenses: [allowedLicense(DEVICE)],
    }),
  );
});

/** Every way an error tends to get printed or serialised. */
function renderings(error: ApiError): string[] {
  return [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), error.stack ?? ''];
}

function expectClean(error: ApiError, secrets: readonly string[]): void {
  for (const text of renderings(error)) for (const secret of secrets) expect(text).not.toContain(secret);
  // Nothing but plain values: no request, response, headers or HTTP library error hanging off it.
  for (const [name, value] of Object.entries(error)) expect(value === null || typeof value !== 'object', `property ${name}`).toBe(true);
  expect(error.cause).toBeUndefined();
}

describe('ApiError never carries a password or a token', () => {
  it('through every kind of failure an authenticated client meets', async () => {
    const { client, secrets, log } = makeClient({ url: handle().url, username: USERNAME, password: PASSWORD, retry: { attempts: 2 } });
    const errors: ApiError[] = [];

    await client.login();
    // rejected: a 400 whose request body held a password, and 404s
    errors.push(await apiErrorOf(client.createUser({ username: 'ja-existe', password: NEW_USER_PASSWORD, email: null, role: 'user' })));
    errors.push(await apiErrorOf(client.deleteLicense('no-such-license')));
    errors.push(await apiErrorOf(client.setStatus('no-such-license', 'block')));
    // http: 5xx pages and resets, also on a write with a password
    await handle().control.setFaults({ failures: { rate: 1, kinds: ['500', 'reset'] } });
    errors.push(await apiErrorOf(client.listLicenses()));
    errors.push(await apiErrorOf(client.createUser({ username: 'nova', password: NEW_USER_PASSWORD, email: null, role: 'user' })));
    // malformed listings
    await handle().control.setFaults({ malformedListing: { mode: 'html', endpoints: ['devices', 'users'] } });
    errors.push(await apiErrorOf(client.listUsers()));
    // a token refused: the client logs in again (its password travels again), then the server is down
    await handle().control.rotateSecret();
    await handle().control.setFaults({ revokeTokens: { afterRequests: 1 }, malformedListing: { mode: 'truncated' } });
    errors.push(await apiErrorOf(client.listLicenses()));
    await handle().control.setFaults({ down: true });
    errors.push(await apiErrorOf(client.login()));

    const tokens = await handle().control.issuedTokens();
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    expect(new Set(errors.map((error) => error.kind))).toEqual(new Set(['rejected', 'http', 'network', 'malformed']));
    for (const error of errors) expectClean(error, [PASSWORD, NEW_USER_PASSWORD, ...tokens, ...secrets]);
    for (const line of log.lines) for (const secret of [PASSWORD, NEW_USER_PASSWORD, ...tokens]) expect(line).not.toContain(secret);
  });

  it('reports a new user\'s password as a secret before sending it: a server may echo it in its error message', async () => {
    const { client, secrets } = makeClient({ url: handle().url, username: USERNAME, password: PASSWORD });
    await client.login();

    await apiErrorOf(client.createUser({ username: 'ja-existe', password: NEW_USER_PASSWORD, email: null, role: 'user' }));

    expect(secrets).toContain(NEW_USER_PASSWORD);
  });

  it('when the password is wrong', async () => {
    const { client, log } = makeClient({ url: handle().url, username: USERNAME, password: WRONG_PASSWORD });

    const error = await apiErrorOf(client.listLicenses());

    expect(error.kind).toBe('unauthorized');
    expectClean(error, [WRONG_PASSWORD, PASSWORD]);
    for (const line of log.lines) expect(line).not.toContain(WRONG_PASSWORD);
  });

  it('when nothing answers', async () => {
    const { client, log } = makeClient({ url: await closedPortUrl(), username: USERNAME, password: PASSWORD, retry: { attempts: 2 } });

    const error = await apiErrorOf(client.login());

    expect(error.kind).toBe('network');
    expectClean(error, [PASSWORD]);
    expect(log.lines.length).toBeGreaterThan(0);
    for (const line of log.lines) expect(line).not.toContain(PASSWORD);
  });
});
