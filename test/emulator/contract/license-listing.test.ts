import { beforeEach, describe, expect, it } from 'vitest';
import { openEmulator, useEmulator } from '../../support/emulator-fixture.js';
import {
  LICENSE_FIELDS,
  createUserOk,
  datasetLicense,
  datasetUser,
  freshDataset,
  listLicenses,
  upsertOk,
} from '../../support/license-api-helpers.js';

// Contract, "Licenses (the devices table)": GET /admin/devices, and "Role
// matters for listing" from the authentication section.

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('GET /admin/devices', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  beforeEach(async () => {
    await handle().control.loadState(freshDataset());
  });

  it('answers {"items": [...]} with exactly the contract\'s fields, typed as the contract says', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, { device_id: 'fields-a', owner_name: 'Ana', cpf: '123', email: 'a@example.com', address: 'Rua A, 1, Centro' });
    await upsertOk(h, token, { device_id: 'fields-b', license_type: 'vitalicia' });
    const res = await h.request({ path: '/admin/devices', token });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.json as object)).toEqual(['items']);
    const items = (res.json as { items: Record<string, unknown>[] }).items;
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual([...LICENSE_FIELDS].sort());
      expect(Number.isInteger(item.id)).toBe(true);
      expect(typeof item.device_id).toBe('string');
      expect(['mensal', 'trimestral', 'semestral', 'anual', 'trianual', 'vitalicia']).toContain(item.license_type);
      expect(['active', 'blocked', 'pending']).toContain(item.status);
      expect(item.start_date).toMatch(CALENDAR_DATE);
      for (const field of ['owner_name', 'cpf', 'email', 'address', 'features', 'last_seen_at', 'last_seen_ip', 'last_hostname', 'last_version', 'created_by']) {
        expect(item[field] === null || typeof item[field] === 'string', field).toBe(true);
      }
      expect(item.custom_interval === null || Number.isInteger(item.custom_interval)).toBe(true);
    }
    const vitalicia = items.find((item) => item.device_id === 'fields-b');
    expect(vitalicia?.end_date).toBeNull();
    const anual = items.find((item) => item.device_id === 'fields-a');
    expect(anual?.end_date).toMatch(CALENDAR_DATE);
    expect(anual).toMatchObject({ owner_name: 'Ana', cpf: '123', email: 'a@example.com', address: 'Rua A, 1, Centro' });
  });

  it('lists the newest first', async () => {
    const h = handle();
    const token = await h.login();
    for (const deviceId of ['oldest', 'middle', 'newest']) await upsertOk(h, token, { device_id: deviceId });
    const licenses = await listLicenses(h, token);
    expect(licenses.map((license) => license.device_id)).toEqual(['newest', 'middle', 'oldest']);
    const ids = licenses.map((license) => license.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('an empty server lists nothing', async () => {
    const h = handle();
    const res = await h.request({ path: '/admin/devices', token: await h.login() });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ items: [] });
  });
});

describe('no pagination', () => {
  it('an administrator gets every row in one answer, newest first', async () => {
    const dataset = freshDataset();
    for (let id = 1; id <= 1200; id++) {
      dataset.devices.push(datasetLicense({ id, device_id: `bulk-${String(id).padStart(4, '0')}`, created_by: id % 3 ? 'someone' : null }));
    }
    const h = await openEmulator({ dataset });
    try {
      const licenses = await listLicenses(h, await h.login());
      expect(licenses).toHaveLength(1200);
      expect(licenses[0]?.device_id).toBe('bulk-1200');
      expect(licenses[1199]?.device_id).toBe('bulk-0001');
    } finally {
      await h.emulator.close();
    }
  });
});

describe('role matters for listing', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  beforeEach(async () => {
    const dataset = freshDataset();
    dataset.users.push(
      datasetUser({ id: 1, username: 'ana', password: 'ana-pass', role: 'user' }),
      datasetUser({ id: 2, username: 'bruno', password: 'bruno-pass', role: 'user' }),
      datasetUser({ id: 3, username: 'chefe', password: 'chefe-pass', role: 'admin' }),
    );
    const owners = ['ana', 'bruno', null, 'admin', 'ana', 'anabela', 'revenda', 'chefe', 'ana'];
    owners.forEach((createdBy, index) => {
      dataset.devices.push(datasetLicense({ id: index + 1, device_id: `lic-${index + 1}`, created_by: createdBy }));
    });
    await handle().control.loadState(dataset);
  });

  it('a user token sees only the licenses whose created_by equals its username, newest first', async () => {
    const h = handle();
    const ana = await listLicenses(h, await h.login('ana', 'ana-pass'));
    expect(ana.map((license) => license.device_id)).toEqual(['lic-9', 'lic-5', 'lic-1']);
    const bruno = await listLicenses(h, await h.login('bruno', 'bruno-pass'));
    expect(bruno.map((license) => license.device_id)).toEqual(['lic-2']);
  });

  it('what a user token sees are the full rows, not a reduced view', async () => {
    const h = handle();
    const admin = await listLicenses(h, await h.login());
    const ana = await listLicenses(h, await h.login('ana', 'ana-pass'));
    expect(ana).toEqual(admin.filter((license) => license.created_by === 'ana'));
  });

  it('a user token with no licenses sees an empty list', async () => {
    const h = handle();
    await createUserOk(h, await h.login(), { username: 'daniel', password: 'daniel-pass' });
    expect(await listLicenses(h, await h.login('daniel', 'daniel-pass'))).toEqual([]);
  });

  it('a panel administrator sees every license, including those with a null created_by', async () => {
    const h = handle();
    const all = await listLicenses(h, await h.login());
    expect(all.map((license) => license.device_id)).toEqual(['lic-9', 'lic-8', 'lic-7', 'lic-6', 'lic-5', 'lic-4', 'lic-3', 'lic-2', 'lic-1']);
  });

  it('a reseller whose role is admin sees every license', async () => {
    const h = handle();
    const admin = await listLicenses(h, await h.login());
    const chefe = await listLicenses(h, await h.login('chefe', 'chefe-pass'));
    expect(chefe).toHaveLength(9);
    expect(chefe).toEqual(admin);
  });
});
