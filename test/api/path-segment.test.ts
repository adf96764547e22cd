import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error.js';
import { pathSegment } from '../../src/api/path-segment.js';
import { apiErrorOf, closeClientsAfterEach, makeClient, scriptedServer, type ScriptedServer } from './support/client-harness.js';

closeClientsAfterEach();

const CONTEXT = { server: 'backup', endpoint: 'POST /admin/devices/:device_id/deactivate', key: '..' } as const;

function refusal(deviceId: string): ApiError {
  try {
    pathSegment(deviceId, { ...CONTEXT, key: deviceId });
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(deviceId)} to be refused`);
}

describe('pathSegment', () => {
  it.each([
    ['a b?c#d', 'a%20b%3Fc%23d'],
    ['...', '...'],
    ['.a', '.a'],
    ['%2E%2E', '%252E%252E'],
    ['caixa-😀', 'caixa-%F0%9F%98%80'],
  ])('percent-encodes %j as %j', (deviceId, segment) => {
    expect(pathSegment(deviceId, CONTEXT)).toBe(segment);
  });

  it.each(['.', '..'])('refuses the dot segment %j: rejected, final, naming server, endpoint and key', (deviceId) => {
    const error = refusal(deviceId);

    expect(error).toMatchObject({ kind: 'rejected', status: null, server: 'backup', endpoint: CONTEXT.endpoint, key: deviceId, transient: false });
    expect(error.reason).toBe(`device_id "${deviceId}" cannot be sent in a URL path (dot segment)`);
    expect(error.message).toBe(`backup ${CONTEXT.endpoint} [${deviceId}]: ${error.reason}`);
  });

  it.each(['dev/1', 'a//b', 'zz/', '/lead'])('refuses %j, which has a slash: the server decodes %%2F before routing', (deviceId) => {
    const error = refusal(deviceId);

    expect(error).toMatchObject({ kind: 'rejected', status: null, key: deviceId, transient: false });
    expect(error.reason).toBe(`device_id ${JSON.stringify(deviceId)} cannot be sent in a URL path (the server decodes %2F before routing, so no path reaches it)`);
  });

  it.each(['\uD800', 'abc\uDFFF', '\uDC00\uD800'])('refuses a device_id with a lone surrogate (%#) instead of throwing a URIError', (deviceId) => {
    const error = refusal(deviceId);

    expect(error).toMatchObject({ kind: 'rejected', status: null, transient: false });
    expect(error.reason).toBe('device_id is not well-formed Unicode (a lone surrogate); it cannot be sent in a URL path');
  });
});

describe('the client never sends a device_id it cannot put in a path', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each([
    ['setStatus', '..'],
    ['deleteLicense', '.'],
    ['deleteLicense', 'ABC/123'],
    ['setStatus', 'zz/'],
    ['setStatus', 'x\uD800'],
  ] as const)('%s(%j) fails after no request at all', async (method, deviceId) => {
    server = await scriptedServer(() => ({ status: 200, body: { token: 't', role: 'admin', must_change_password: false } }));
    const { client } = makeClient({ url: server.url, retry: { attempts: 3 } });

    const error = await apiErrorOf(method === 'setStatus' ? client.setStatus(deviceId, 'block') : client.deleteLicense(deviceId));

    expect(error).toMatchObject({ kind: 'rejected', status: null, key: deviceId });
    expect(server.requests).toEqual([]);
  });
});
