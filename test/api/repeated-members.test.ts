// JSON members given twice: JSON.parse would keep the last copy silently.
import { afterEach, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/snapshot/build-snapshot.js';
import { RecordWithRepeatedFields } from '../../src/snapshot/repeated-fields.js';
import { aLicenseRow } from '../plan/support/records.js';
import { apiErrorOf, closeClientsAfterEach, makeClient, scriptedServer, type ScriptedServer } from './support/client-harness.js';

closeClientsAfterEach();

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const LOGIN_OK = '{"token":"tok-1","role":"admin","must_change_password":false}';

/** Answers login with `login` and the license listing with `listing`, both raw JSON text. */
async function serving(listing: string, login = LOGIN_OK): Promise<ScriptedServer> {
  server = await scriptedServer((request) => ({ status: 200, body: request.path === '/admin/login' ? login : listing }));
  return server;
}

/** A license row as JSON text, with `extra` spliced in before its closing brace. */
function rowText(deviceId: string, extra = ''): string {
  return `${JSON.stringify(aLicenseRow({ device_id: deviceId })).slice(0, -1)}${extra}}`;
}

describe('a field repeated inside a listed record', () => {
  it('marks that record only; the client returns the others as they are', async () => {
    const listing = `{"items":[${rowText('a', ',"status":"blocked"')},${rowText('b')}]}`;
    const { client } = makeClient({ url: (await serving(listing)).url });

    const items = await client.listLicenses();

    expect(items[0]).toBeInstanceOf(RecordWithRepeatedFields);
    expect((items[0] as RecordWithRepeatedFields).repeated).toEqual([{ name: 'status', count: 2 }]);
    expect(items[1]).toEqual(aLicenseRow({ device_id: 'b' }));
  });

  it('is rejected by the snapshot with the field named, keyed by its device_id, the others read', async () => {
    const listing = `{"items":[${rowText('a', ',"status":"blocked"')},${rowText('b')},${rowText('c', ',"email":null,"em\\u0061il":"x@y.z","email":"z"')}]}`;
    const { client } = makeClient({ url: (await serving(listing)).url });

    const snapshot = buildSnapshot([], await client.listLicenses());

    expect([...snapshot.licenses.keys()]).toEqual(['b']);
    expect(snapshot.rejected).toEqual([
      { kind: 'license', key: 'a', index: 0, reason: 'field "status" appears twice' },
      { kind: 'license', key: 'c', index: 2, reason: 'field "email" appears 4 times' },
    ]);
  });

  it('leaves the record without a key when the repeated field is the key itself', async () => {
    const listing = `{"items":[${rowText('a', ',"device_id":"b"')}]}`;
    const { client } = makeClient({ url: (await serving(listing)).url });

    expect(buildSnapshot([], await client.listLicenses()).rejected).toEqual([{ kind: 'license', key: null, index: 0, reason: 'field "device_id" appears twice' }]);
  });

  it('names a field repeated in a nested object by its path within the record', async () => {
    const listing = `{"items":[${rowText('a', ',"extra":{"k":1,"k":2}')}]}`;
    const { client } = makeClient({ url: (await serving(listing)).url });

    expect(buildSnapshot([], await client.listLicenses()).rejected[0]?.reason).toBe('field "extra.k" appears twice');
  });

  it('rejects a user record too, keyed by its username', async () => {
    const user = '{"id":1,"username":"ana","email":null,"role":"user","role":"admin","created_at":null}';
    server = await scriptedServer((request) => ({ status: 200, body: request.path === '/admin/login' ? LOGIN_OK : `{"items":[${user}]}` }));
    const { client } = makeClient({ url: server.url });

    expect(buildSnapshot(await client.listUsers(), []).rejected).toEqual([{ kind: 'user', key: 'ana', index: 0, reason: 'field "role" appears twice' }]);
  });
});

describe('a member repeated outside the records', () => {
  it.each([
    ['items twice', `{"items":[],"items":[${rowText('a')}]}`, '"items"'],
    ['items spelled with an escape', `{"items":[${rowText('a')}],"it\\u0065ms":[]}`, '"items"'],
    ['an envelope member twice', '{"items":[],"next":1,"next":2}', '"next"'],
  ])('makes the listing malformed (%s), naming server and endpoint', async (_name, listing, member) => {
    const scripted = await serving(listing);
    const { client } = makeClient({ url: scripted.url, retry: { attempts: 2 } });

    const error = await apiErrorOf(client.listLicenses());

    expect(error).toMatchObject({ kind: 'malformed', server: 'backup', endpoint: 'GET /admin/devices', status: 200, attempts: 2 });
    expect(error.reason).toBe(`HTTP 200 with JSON member ${member} repeated (twice)`);
    expect(scripted.count('GET', '/admin/devices')).toBe(2);
  });

  it('makes any other answer malformed: a login whose role is given twice', async () => {
    const { client } = makeClient({ url: (await serving('{"items":[]}', '{"token":"t","role":"user","role":"admin","must_change_password":false}')).url, retry: { attempts: 1 } });

    const error = await apiErrorOf(client.login());

    expect(error).toMatchObject({ kind: 'malformed', endpoint: 'POST /admin/login' });
    expect(error.reason).toBe('HTTP 200 with JSON member "role" repeated (twice)');
    expect(client.session).toBeNull();
  });
});
