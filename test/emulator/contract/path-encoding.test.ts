import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../support/emulator-fixture.js';
import {
  datasetLicense,
  deactivate,
  deleteLicense,
  freshDataset,
  licensePath,
  listLicenses,
  updateCreatedBy,
  upsertOk,
} from '../../support/license-api-helpers.js';
import { expectHtmlPage, expectJsonError } from '../../support/response-assertions.js';

// Contract: "device_id travels in the URL path for the last three calls: it
// must be percent-encoded by the client." A percent-encoded device_id must
// reach the license it names, and only that one, whatever characters it holds;
// except `/`: Werkzeug decodes `%2F` before matching routes and a path
// segment holds no `/`, so such an id reaches no license (404, or a 308
// redirect for a leading or trailing `/`, Werkzeug's merge_slashes).

/** Ids with a `/`: stored through the JSON body, out of reach of the path. */
const SLASHED_IDS = ['a/b', 'a/b/c', '/', 'x/deactivate', 'y/delete', 'a/../b', 'a//b', 'zz/', '/lead', 'ABC/123'] as const;

/** Those of SLASHED_IDS whose path matches a route once its repeated slashes are merged: Werkzeug redirects. */
const REDIRECTED_IDS: readonly string[] = ['zz/', '/lead'];

const AWKWARD_IDS = [
  'with space',
  'what?x=1',
  'hash#tag',
  '100%',
  '%41',
  '%2F',
  '..',
  '"quoted"',
  "it's",
  'ação-çüé',
  '日本語',
  '😀-emoji',
  'plus+sign',
  'amp&eq=1',
  'back\\slash',
  'semi;colon',
] as const;

// Plain ids that a wrongly decoded path could land on instead.
const DECOYS = ['a', 'b', 'A', 'x', 'y', 'c', 'what', 'hash', '100', 'with', 'plus sign', 'quoted', 'zz', 'lead', 'ABC', '123'] as const;

const ALL_IDS: readonly string[] = [...DECOYS, ...AWKWARD_IDS, ...SLASHED_IDS];

describe('percent-encoded device_id in the path', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  beforeEach(async () => {
    const dataset = freshDataset();
    ALL_IDS.forEach((deviceId, index) => dataset.devices.push(datasetLicense({ id: index + 1, device_id: deviceId, created_by: 'admin' })));
    await handle().control.loadState(dataset);
  });

  it('the awkward ids are stored and listed exactly as given through the JSON body', async () => {
    const h = handle();
    await h.control.loadState(freshDataset());
    const token = await h.login();
    for (const deviceId of [...AWKWARD_IDS, ...SLASHED_IDS]) await upsertOk(h, token, { device_id: deviceId });
    const listed = (await listLicenses(h, token)).map((license) => license.device_id);
    expect(listed).toEqual([...AWKWARD_IDS, ...SLASHED_IDS].reverse());
  });

  it.each(AWKWARD_IDS)('deactivate reaches %j and only it', async (deviceId) => {
    const h = handle();
    const token = await h.login();
    const res = await deactivate(h, token, deviceId, { action: 'block' });
    expect(res.status, `${licensePath(deviceId, 'deactivate')}: ${res.text}`).toBe(200);
    expect(res.json).toEqual({ success: true, device_id: deviceId, status: 'blocked' });
    const blocked = (await listLicenses(h, token)).filter((license) => license.status === 'blocked').map((license) => license.device_id);
    expect(blocked).toEqual([deviceId]);
  });

  it.each([...AWKWARD_IDS, ...SLASHED_IDS])('update-created-by reaches %j and only it', async (deviceId) => {
    const h = handle();
    const token = await h.login();
    const res = await updateCreatedBy(h, token, { device_id: deviceId, created_by: 'revenda' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ success: true, device_id: deviceId, created_by: 'revenda' });
    const changed = (await listLicenses(h, token)).filter((license) => license.created_by === 'revenda').map((license) => license.device_id);
    expect(changed).toEqual([deviceId]);
  });

  it.each(AWKWARD_IDS)('delete reaches %j and only it', async (deviceId) => {
    const h = handle();
    const token = await h.login();
    const res = await deleteLicense(h, token, deviceId);
    expect(res.status, `${licensePath(deviceId, 'delete')}: ${res.text}`).toBe(200);
    expect(res.json).toMatchObject({ success: true });
    const remaining = (await listLicenses(h, token)).map((license) => license.device_id);
    expect(remaining).toEqual(ALL_IDS.filter((id) => id !== deviceId).reverse());
    expectJsonError(await deleteLicense(h, token, deviceId), 404);
  });

  it('a path is decoded exactly once: "%2541" names the license "%41", not "A"', async () => {
    const h = handle();
    const token = await h.login();
    expect(licensePath('%41', 'deactivate')).toBe('/admin/devices/%2541/deactivate');
    await deactivate(h, token, '%41', { action: 'block' });
    const licenses = await listLicenses(h, token);
    expect(licenses.find((license) => license.device_id === '%41')?.status).toBe('blocked');
    expect(licenses.find((license) => license.device_id === 'A')?.status).toBe('active');
  });

  it('an encoded id that names no license is a 404 on deactivate and delete', async () => {
    const h = handle();
    const token = await h.login();
    for (const deviceId of ['with  space', '%42', 'ação', 'a%2Fb']) {
      expectJsonError(await deactivate(h, token, deviceId, { action: 'block' }), 404);
      expectJsonError(await deleteLicense(h, token, deviceId), 404);
    }
    expect((await listLicenses(h, token)).every((license) => license.status === 'active')).toBe(true);
    expect(await listLicenses(h, token)).toHaveLength(ALL_IDS.length);
  });

  it.each(SLASHED_IDS)('deactivate and delete of %j reach no license: 404, or 308 for a leading or trailing slash', async (deviceId) => {
    const h = handle();
    const token = await h.login();
    const before = await listLicenses(h, token);
    const status = REDIRECTED_IDS.includes(deviceId) ? 308 : 404;
    const merged = (action: string) => `/admin/devices/${encodeURIComponent(deviceId.replace(/^\/|\/$/g, ''))}/${action}`;
    const blocked = await deactivate(h, token, deviceId, { action: 'block' });
    const deleted = await deleteLicense(h, token, deviceId);
    expectHtmlPage(blocked, status);
    expectHtmlPage(deleted, status);
    if (status === 308) {
      expect(blocked.headers.location).toBe(merged('deactivate'));
      expect(deleted.headers.location).toBe(merged('delete'));
    }
    expect(await listLicenses(h, token)).toEqual(before);
  });
});
