import { beforeEach, describe, expect, it } from 'vitest';
import { openEmulator, useEmulator, type EmulatorHandle } from '../../support/emulator-fixture.js';
import {
  createUserOk,
  datasetLicense,
  deactivate,
  findLicense,
  freshDataset,
  getLicense,
  listLicenses,
  upsert,
  upsertOk,
  without,
} from '../../support/license-api-helpers.js';
import { expectJsonError } from '../../support/response-assertions.js';

// Contract, "POST /admin/devices/create": an upsert keyed by device_id, the
// periods and their month arithmetic, and the welcome e-mail.

const TODAY = '2025-01-31';

describe('POST /admin/devices/create: a new device_id', () => {
  const handle = useEmulator({ now: new Date(`${TODAY}T12:00:00Z`) });

  beforeEach(async () => {
    const h = handle();
    await h.control.loadState(freshDataset());
    await h.control.setClock({ today: TODAY });
  });

  it('answers 201 {"success": true, "device_id", "license_type"}', async () => {
    const h = handle();
    const res = await upsert(h, await h.login(), { device_id: 'new-1', license_type: 'mensal' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json).toEqual({ success: true, device_id: 'new-1', license_type: 'mensal' });
  });

  it('inserts it active, from today, with interval 60, features "core", no telemetry and created_by "admin" for an admin caller', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, {
      device_id: 'new-2',
      license_type: 'trimestral',
      owner_name: 'Maria da Silva',
      cpf: '123.456.789-09',
      email: 'maria@example.com',
      address: 'Rua das Flores, 12, apto 3, São Paulo, SP',
    });
    const license = await getLicense(h, token, 'new-2');
    expect(without(license, 'id')).toEqual({
      device_id: 'new-2',
      owner_name: 'Maria da Silva',
      cpf: '123.456.789-09',
      email: 'maria@example.com',
      address: 'Rua das Flores, 12, apto 3, São Paulo, SP',
      license_type: 'trimestral',
      status: 'active',
      start_date: TODAY,
      end_date: '2025-04-30',
      custom_interval: 60,
      features: 'core',
      last_seen_at: null,
      last_seen_ip: null,
      last_hostname: null,
      last_version: null,
      created_by: 'admin',
    });
    expect(Number.isInteger(license.id)).toBe(true);
  });

  it('the license type defaults to anual', async () => {
    const h = handle();
    const token = await h.login();
    const res = await upsert(h, token, { device_id: 'default-type' });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ success: true, device_id: 'default-type', license_type: 'anual' });
    expect(await getLicense(h, token, 'default-type')).toMatchObject({ license_type: 'anual', start_date: TODAY, end_date: '2026-01-31' });
  });

  it('omitted owner fields are stored as null', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, { device_id: 'bare' });
    expect(await getLicense(h, token, 'bare')).toMatchObject({ owner_name: null, cpf: null, email: null, address: null });
  });

  it('created_by is the given value when one is given', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, { device_id: 'owned', created_by: 'revenda-sul' });
    expect((await getLicense(h, token, 'owned')).created_by).toBe('revenda-sul');
  });

  it('created_by is "admin" when a reseller whose role is admin gives none', async () => {
    const h = handle();
    const admin = await h.login();
    await createUserOk(h, admin, { username: 'chefe', password: 'chefe-pass', role: 'admin' });
    await upsertOk(h, await h.login('chefe', 'chefe-pass'), { device_id: 'by-reseller-admin' });
    expect((await getLicense(h, admin, 'by-reseller-admin')).created_by).toBe('admin');
  });

  it('start_date is today in UTC, not in the caller\'s time zone', async () => {
    const h = handle();
    const token = await h.login();
    // 23:30 in São Paulo on 31 January is already 1 February in UTC.
    await h.control.setClock({ now: '2025-01-31T23:30:00-03:00' });
    await upsertOk(h, token, { device_id: 'utc-day', license_type: 'mensal' });
    expect(await getLicense(h, token, 'utc-day')).toMatchObject({ start_date: '2025-02-01', end_date: '2025-03-01' });
  });

  it.each([
    ['missing', {}],
    ['null', { device_id: null }],
    ['empty', { device_id: '' }],
    ['blank', { device_id: '   ' }],
  ])('400 when device_id is %s, and nothing is written', async (_case, body) => {
    const h = handle();
    const token = await h.login();
    expectJsonError(await upsert(h, token, { ...body, owner_name: 'Nobody', license_type: 'mensal' }), 400);
    expect(await listLicenses(h, token)).toEqual([]);
  });

  it.each(['semanal', 'Anual', 'vitalícia', 'lifetime', '12'])('400 when license_type is %j, and nothing is written', async (licenseType) => {
    const h = handle();
    const token = await h.login();
    expectJsonError(await upsert(h, token, { device_id: 'bad-type', license_type: licenseType }), 400);
    expect(await findLicense(h, token, 'bad-type')).toBeUndefined();
  });

  it('trims every string it is given and stores empty or blank ones as null', async () => {
    const h = handle();
    const token = await h.login();
    const res = await upsert(h, token, {
      device_id: '  trimmed-id \t',
      license_type: ' semestral ',
      owner_name: '  João Pereira  ',
      cpf: '',
      email: '   ',
      address: '\n Av. Brasil, 100, Centro \n',
      created_by: ' revenda-norte ',
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ success: true, device_id: 'trimmed-id', license_type: 'semestral' });
    const licenses = await listLicenses(h, token);
    expect(licenses.map((license) => license.device_id)).toEqual(['trimmed-id']);
    expect(licenses[0]).toMatchObject({
      license_type: 'semestral',
      owner_name: 'João Pereira',
      cpf: null,
      email: null,
      address: 'Av. Brasil, 100, Centro',
      created_by: 'revenda-norte',
      end_date: '2025-07-31',
    });
  });

  it('an empty created_by counts as none given', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, { device_id: 'empty-owner', created_by: '  ' });
    expect((await getLicense(h, token, 'empty-owner')).created_by).toBe('admin');
  });

  it('ignores the fields no endpoint can write', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, {
      device_id: 'sneaky',
      license_type: 'mensal',
      status: 'pending',
      start_date: '2020-01-01',
      end_date: '2099-12-31',
      custom_interval: 5,
      features: 'core,premium',
      last_seen_at: '2024-01-01 00:00:00',
      last_seen_ip: '10.0.0.1',
      last_hostname: 'pc-01',
      last_version: '9.9.9',
      id: 999,
    });
    const license = await getLicense(h, token, 'sneaky');
    expect(without(license, 'id', 'device_id', 'created_by')).toEqual({
      owner_name: null,
      cpf: null,
      email: null,
      address: null,
      license_type: 'mensal',
      status: 'active',
      start_date: TODAY,
      end_date: '2025-02-28',
      custom_interval: 60,
      features: 'core',
      last_seen_at: null,
      last_seen_ip: null,
      last_hostname: null,
      last_version: null,
    });
    expect(license.id).not.toBe(999);
  });
});

describe('periods', () => {
  const handle = useEmulator({ now: new Date(`${TODAY}T12:00:00Z`) });

  beforeEach(async () => {
    await handle().control.loadState(freshDataset());
  });

  async function endDate(h: EmulatorHandle, today: string, licenseType: string): Promise<string | null> {
    await h.control.setClock({ today });
    const token = await h.login();
    const deviceId = `period-${licenseType}-${today}`;
    const res = await upsert(h, token, { device_id: deviceId, license_type: licenseType });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ success: true, device_id: deviceId, license_type: licenseType });
    const license = await getLicense(h, token, deviceId);
    expect(license.start_date).toBe(today);
    expect(license.license_type).toBe(licenseType);
    return license.end_date;
  }

  it.each([
    ['mensal', '2025-01-31', '2025-02-28'],
    ['trimestral', '2025-01-31', '2025-04-30'],
    ['semestral', '2025-01-31', '2025-07-31'],
    ['anual', '2025-01-31', '2026-01-31'],
    ['trianual', '2025-01-31', '2028-01-31'],
    ['vitalicia', '2025-01-31', null],
    ['mensal', '2024-01-31', '2024-02-29'],
    ['mensal', '2025-03-31', '2025-04-30'],
    ['mensal', '2025-12-31', '2026-01-31'],
    ['mensal', '2025-06-15', '2025-07-15'],
    ['trimestral', '2025-11-30', '2026-02-28'],
    ['trimestral', '2023-11-30', '2024-02-29'],
    ['semestral', '2025-08-31', '2026-02-28'],
    ['semestral', '2025-03-31', '2025-09-30'],
    ['anual', '2024-02-29', '2025-02-28'],
    ['trianual', '2024-02-29', '2027-02-28'],
    ['trianual', '2025-02-28', '2028-02-28'],
    ['vitalicia', '2024-02-29', null],
  ])('%s from %s ends on %s', async (licenseType, today, expected) => {
    expect(await endDate(handle(), today, licenseType)).toBe(expected);
  });
});

describe('POST /admin/devices/create: an existing device_id', () => {
  const handle = useEmulator({ now: new Date(`${TODAY}T12:00:00Z`) });

  beforeEach(async () => {
    const dataset = freshDataset();
    dataset.devices.push(
      datasetLicense({ id: 1, device_id: 'older-neighbour' }),
      datasetLicense({
        id: 7,
        device_id: 'existing',
        owner_name: 'Carlos Souza',
        cpf: '987.654.321-00',
        email: 'carlos@example.com',
        address: 'Rua Velha, 5, Bairro, Cidade',
        license_type: 'trianual',
        status: 'blocked',
        start_date: '2023-05-10',
        end_date: '2026-05-10',
        custom_interval: 15,
        features: 'core,fiscal',
        last_seen_at: '2025-01-20 08:30:00',
        last_seen_ip: '203.0.113.9',
        last_hostname: 'CAIXA-01',
        last_version: '3.2.1',
        created_by: 'revenda-leste',
      }),
      datasetLicense({ id: 9, device_id: 'newer-neighbour' }),
    );
    const h = handle();
    await h.control.loadState(dataset);
    await h.control.setClock({ today: '2025-03-15' });
  });

  it('a blocked license comes back active and re-dated, owner fields replaced and omitted ones nulled, created_by "admin", id unchanged', async () => {
    const h = handle();
    const token = await h.login();
    const res = await upsert(h, token, { device_id: 'existing', license_type: 'mensal', owner_name: 'Carlos S. Souza', cpf: '' });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ success: true, device_id: 'existing', license_type: 'mensal' });
    expect(await getLicense(h, token, 'existing')).toEqual({
      id: 7,
      device_id: 'existing',
      owner_name: 'Carlos S. Souza',
      cpf: null,
      email: null,
      address: null,
      license_type: 'mensal',
      status: 'active',
      start_date: '2025-03-15',
      end_date: '2025-04-15',
      // What no endpoint can write stays as it was.
      custom_interval: 15,
      features: 'core,fiscal',
      last_seen_at: '2025-01-20 08:30:00',
      last_seen_ip: '203.0.113.9',
      last_hostname: 'CAIXA-01',
      last_version: '3.2.1',
      created_by: 'admin',
    });
  });

  it('takes every new owner value and the given created_by', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, {
      device_id: 'existing',
      license_type: 'vitalicia',
      owner_name: 'Outra Pessoa',
      cpf: '111.222.333-44',
      email: 'outra@example.com',
      address: 'Rua Nova, 9, Centro',
      created_by: 'revenda-oeste',
    });
    expect(await getLicense(h, token, 'existing')).toMatchObject({
      id: 7,
      owner_name: 'Outra Pessoa',
      cpf: '111.222.333-44',
      email: 'outra@example.com',
      address: 'Rua Nova, 9, Centro',
      license_type: 'vitalicia',
      status: 'active',
      start_date: '2025-03-15',
      end_date: null,
      created_by: 'revenda-oeste',
    });
  });

  it('an omitted license_type becomes anual again', async () => {
    const h = handle();
    const token = await h.login();
    const res = await upsert(h, token, { device_id: 'existing' });
    expect(res.json).toEqual({ success: true, device_id: 'existing', license_type: 'anual' });
    expect(await getLicense(h, token, 'existing')).toMatchObject({ license_type: 'anual', start_date: '2025-03-15', end_date: '2026-03-15' });
  });

  it('re-dates even when nothing else differs', async () => {
    const h = handle();
    const token = await h.login();
    const body = { device_id: 'existing', license_type: 'trimestral', owner_name: 'Carlos Souza' };
    await upsertOk(h, token, body);
    await h.control.setClock({ today: '2025-05-31' });
    await upsertOk(h, token, body);
    expect(await getLicense(h, token, 'existing')).toMatchObject({ start_date: '2025-05-31', end_date: '2025-08-31', status: 'active' });
  });

  it('unblocks a license that was blocked through the API', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, { device_id: 'existing' });
    expect((await deactivate(h, token, 'existing', { action: 'block' })).status).toBe(200);
    expect((await getLicense(h, token, 'existing')).status).toBe('blocked');
    await upsertOk(h, token, { device_id: 'existing' });
    expect((await getLicense(h, token, 'existing')).status).toBe('active');
  });

  it('keeps the row in place: no new row, same id, same position in the listing', async () => {
    const h = handle();
    const token = await h.login();
    const before = await listLicenses(h, token);
    await upsertOk(h, token, { device_id: 'existing', owner_name: 'Someone Else' });
    const after = await listLicenses(h, token);
    expect(after.map((license) => [license.id, license.device_id])).toEqual(before.map((license) => [license.id, license.device_id]));
    expect(after.filter((license) => license.device_id !== 'existing')).toEqual(before.filter((license) => license.device_id !== 'existing'));
  });

  it('the device_id is trimmed before it is matched', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, { device_id: '  existing  ', owner_name: 'Trimmed Match' });
    const licenses = await listLicenses(h, token);
    expect(licenses).toHaveLength(3);
    expect(await getLicense(h, token, 'existing')).toMatchObject({ id: 7, owner_name: 'Trimmed Match', status: 'active' });
  });

  it('400 on an invalid license_type leaves the existing license untouched', async () => {
    const h = handle();
    const token = await h.login();
    const before = await getLicense(h, token, 'existing');
    expectJsonError(await upsert(h, token, { device_id: 'existing', license_type: 'semanal', owner_name: 'X' }), 400);
    expect(await getLicense(h, token, 'existing')).toEqual(before);
  });
});

describe('welcome e-mail', () => {
  const handle = useEmulator({ now: new Date(`${TODAY}T12:00:00Z`) });

  beforeEach(async () => {
    await handle().control.loadState(freshDataset());
  });

  it('is sent on every upsert that carries an email, insert or overwrite, and only then', async () => {
    const h = handle();
    const token = await h.login();
    const sent = async () => (await h.control.stats()).emailsSent;
    const start = await sent();

    await upsertOk(h, token, { device_id: 'mail-1', email: 'cliente@example.com' });
    expect(await sent()).toBe(start + 1);
    expect((await h.control.stats()).lastEmailRecipients.at(-1)).toBe('cliente@example.com');

    await upsertOk(h, token, { device_id: 'mail-1', email: 'cliente@example.com' });
    expect(await sent()).toBe(start + 2);

    await upsertOk(h, token, { device_id: 'mail-2' });
    await upsertOk(h, token, { device_id: 'mail-2', email: '' });
    await upsertOk(h, token, { device_id: 'mail-2', email: '   ' });
    await upsertOk(h, token, { device_id: 'mail-1', owner_name: 'Sem Email' });
    expect(await sent()).toBe(start + 2);

    await upsertOk(h, token, { device_id: 'mail-2', email: '  outro@example.com ' });
    expect(await sent()).toBe(start + 3);
    expect((await h.control.stats()).lastEmailRecipients.at(-1)).toBe('outro@example.com');
  });

  it('is not sent by a rejected upsert', async () => {
    const h = handle();
    const token = await h.login();
    const start = (await h.control.stats()).emailsSent;
    expect((await upsert(h, token, { device_id: 'mail-bad', license_type: 'semanal', email: 'x@example.com' })).status).toBe(400);
    expect((await upsert(h, token, { email: 'x@example.com' })).status).toBe(400);
    expect((await h.control.stats()).emailsSent).toBe(start);
  });

  it('is never sent where the server has no e-mail configured', async () => {
    const h = await openEmulator({ now: new Date(`${TODAY}T12:00:00Z`), emailConfigured: false });
    try {
      const token = await h.login();
      await upsertOk(h, token, { device_id: 'quiet-1', email: 'cliente@example.com' });
      await upsertOk(h, token, { device_id: 'quiet-1', email: 'cliente@example.com' });
      await upsertOk(h, token, { device_id: 'quiet-2', email: 'outro@example.com' });
      expect((await getLicense(h, token, 'quiet-1')).email).toBe('cliente@example.com');
      expect((await h.control.stats()).emailsSent).toBe(0);
    } finally {
      await h.emulator.close();
    }
  });
});
