import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../support/emulator-fixture.js';
import {
  datasetLicense,
  datasetUser,
  deleteLicense,
  findLicense,
  freshDataset,
  getLicense,
  listLicenses,
  updateCreatedBy,
  without,
} from '../../support/license-api-helpers.js';
import { expectJsonError } from '../../support/response-assertions.js';

// Contract: POST /admin/devices/update-created-by and DELETE /admin/devices/<device_id>/delete.

function seed() {
  const dataset = freshDataset();
  dataset.users.push(
    datasetUser({ id: 1, username: 'ana', password: 'ana-pass', role: 'user' }),
    datasetUser({ id: 2, username: 'chefe', password: 'chefe-pass', role: 'admin' }),
  );
  dataset.devices.push(
    datasetLicense({
      id: 1,
      device_id: 'lic-1',
      owner_name: 'Ana Cliente',
      cpf: '123',
      email: 'c@example.com',
      address: 'Rua 1, 2, Centro',
      license_type: 'mensal',
      status: 'blocked',
      start_date: '2024-12-31',
      end_date: '2025-01-31',
      custom_interval: 30,
      features: 'core,nfe',
      last_seen_at: '2025-01-30 10:00:00',
      last_seen_ip: '198.51.100.7',
      last_hostname: 'LOJA-1',
      last_version: '2.0.0',
      created_by: 'ana',
    }),
    datasetLicense({ id: 2, device_id: 'lic-2', created_by: null }),
    datasetLicense({ id: 3, device_id: 'lic-3', created_by: 'ana' }),
  );
  return dataset;
}

describe('POST /admin/devices/update-created-by', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  beforeEach(async () => {
    const h = handle();
    await h.control.loadState(seed());
    await h.control.setClock({ today: '2025-01-31' });
  });

  it('answers 200 {"success": true, "device_id", "created_by"} and touches created_by only', async () => {
    const h = handle();
    const token = await h.login();
    const before = await listLicenses(h, token);
    await h.control.setClock({ today: '2025-08-20' });
    const res = await updateCreatedBy(h, token, { device_id: 'lic-1', created_by: 'bruno' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json).toEqual({ success: true, device_id: 'lic-1', created_by: 'bruno' });
    const after = await listLicenses(h, token);
    const changed = after.find((license) => license.device_id === 'lic-1');
    expect(changed?.created_by).toBe('bruno');
    expect(after.map((license) => without(license, 'created_by'))).toEqual(before.map((license) => without(license, 'created_by')));
    expect(after.filter((license) => license.device_id !== 'lic-1')).toEqual(before.filter((license) => license.device_id !== 'lic-1'));
  });

  it('sets created_by on a license that had none', async () => {
    const h = handle();
    const token = await h.login();
    await updateCreatedBy(h, token, { device_id: 'lic-2', created_by: 'ana' });
    expect((await getLicense(h, token, 'lic-2')).created_by).toBe('ana');
  });

  it('moves the license into and out of a reseller\'s listing', async () => {
    const h = handle();
    const admin = await h.login();
    const ana = await h.login('ana', 'ana-pass');
    await updateCreatedBy(h, admin, { device_id: 'lic-1', created_by: 'bruno' });
    await updateCreatedBy(h, admin, { device_id: 'lic-2', created_by: 'ana' });
    expect((await listLicenses(h, ana)).map((license) => license.device_id)).toEqual(['lic-3', 'lic-2']);
  });

  it('trims both fields', async () => {
    const h = handle();
    const token = await h.login();
    const res = await updateCreatedBy(h, token, { device_id: '  lic-3 ', created_by: '  revenda-sul\t' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, device_id: 'lic-3', created_by: 'revenda-sul' });
    expect((await getLicense(h, token, 'lic-3')).created_by).toBe('revenda-sul');
  });

  it('ignores every other field it is given', async () => {
    const h = handle();
    const token = await h.login();
    const before = await getLicense(h, token, 'lic-1');
    await updateCreatedBy(h, token, {
      device_id: 'lic-1',
      created_by: 'outro',
      status: 'pending',
      start_date: '2020-01-01',
      end_date: '2099-01-01',
      owner_name: 'Mudado',
      license_type: 'vitalicia',
      custom_interval: 1,
      features: 'x',
    });
    expect(await getLicense(h, token, 'lic-1')).toEqual({ ...before, created_by: 'outro' });
  });

  it.each([
    ['device_id is missing', { created_by: 'bruno' }],
    ['created_by is missing', { device_id: 'lic-1' }],
    ['both are missing', {}],
    ['device_id is empty', { device_id: '', created_by: 'bruno' }],
    ['created_by is empty', { device_id: 'lic-1', created_by: '' }],
    ['created_by is blank', { device_id: 'lic-1', created_by: '   ' }],
    ['created_by is null', { device_id: 'lic-1', created_by: null }],
    ['created_by is missing for an unknown license', { device_id: 'no-such-license' }],
  ])('400 when %s, and nothing changes', async (_case, body) => {
    const h = handle();
    const token = await h.login();
    const before = await listLicenses(h, token);
    expectJsonError(await updateCreatedBy(h, token, body), 400);
    expect(await listLicenses(h, token)).toEqual(before);
  });

  it('404 when the license does not exist', async () => {
    const h = handle();
    const token = await h.login();
    const before = await listLicenses(h, token);
    expectJsonError(await updateCreatedBy(h, token, { device_id: 'no-such-license', created_by: 'bruno' }), 404);
    expect(await listLicenses(h, token)).toEqual(before);
  });
});

describe('DELETE /admin/devices/<device_id>/delete', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  beforeEach(async () => {
    await handle().control.loadState(seed());
  });

  it('200 {"success": true, ...} removes that license and no other', async () => {
    const h = handle();
    const token = await h.login();
    const before = await listLicenses(h, token);
    const res = await deleteLicense(h, token, 'lic-1');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({ success: true });
    expect(await listLicenses(h, token)).toEqual(before.filter((license) => license.device_id !== 'lic-1'));
  });

  it('404 when deleting the same license again', async () => {
    const h = handle();
    const token = await h.login();
    expect((await deleteLicense(h, token, 'lic-2')).status).toBe(200);
    const after = await listLicenses(h, token);
    expectJsonError(await deleteLicense(h, token, 'lic-2'), 404);
    expect(await listLicenses(h, token)).toEqual(after);
  });

  it('404 when the license never existed', async () => {
    const h = handle();
    const token = await h.login();
    const before = await listLicenses(h, token);
    expectJsonError(await deleteLicense(h, token, 'no-such-license'), 404);
    expect(await listLicenses(h, token)).toEqual(before);
  });

  it('403 for a user token, even on its own license, which stays', async () => {
    const h = handle();
    const ana = await h.login('ana', 'ana-pass');
    expectJsonError(await deleteLicense(h, ana, 'lic-3'), 403);
    expectJsonError(await deleteLicense(h, ana, 'lic-2'), 403);
    const admin = await h.login();
    expect(await findLicense(h, admin, 'lic-3')).toBeDefined();
    expect(await findLicense(h, admin, 'lic-2')).toBeDefined();
  });

  it('a reseller whose role is admin may delete', async () => {
    const h = handle();
    const chefe = await h.login('chefe', 'chefe-pass');
    const res = await deleteLicense(h, chefe, 'lic-3');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true });
    expect(await findLicense(h, await h.login(), 'lic-3')).toBeUndefined();
  });

  it('a deleted device_id can be created again as a new license', async () => {
    const h = handle();
    const token = await h.login();
    await deleteLicense(h, token, 'lic-1');
    const res = await h.request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: 'lic-1' } });
    expect(res.status).toBe(201);
    const license = await getLicense(h, token, 'lic-1');
    expect(license).toMatchObject({ status: 'active', start_date: '2025-01-31', owner_name: null, last_seen_at: null });
    expect(license.id).not.toBe(1);
  });
});
