import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator, type EmulatorHandle } from '../../support/emulator-fixture.js';
import {
  datasetLicense,
  deactivate,
  findLicense,
  freshDataset,
  getLicense,
  listLicenses,
  upsertOk,
  verify,
  without,
} from '../../support/license-api-helpers.js';
import type { DeviceRow } from '../../../src/emulator/dataset/dataset-file.js';

// Contract, "What a client of the licensed software is told": GET /verify and
// its decision order (unknown, blocked, expired, pending, allowed).

const TODAY = '2025-06-15';

interface VerifyBody {
  allow: unknown;
  msg: unknown;
}

async function decide(h: EmulatorHandle, deviceId: string): Promise<{ status: number; allow: unknown; msg: unknown }> {
  const res = await verify(h, deviceId);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json as VerifyBody;
  expect(typeof body.allow).toBe('boolean');
  expect(typeof body.msg).toBe('string');
  return { status: res.status, allow: body.allow, msg: body.msg };
}

const ROWS: readonly (Partial<DeviceRow> & { device_id: string })[] = [
  { device_id: 'valid', status: 'active', license_type: 'anual', start_date: '2025-01-01', end_date: '2026-01-01' },
  { device_id: 'ends-today', status: 'active', license_type: 'mensal', start_date: '2025-05-15', end_date: TODAY },
  { device_id: 'expired', status: 'active', license_type: 'mensal', start_date: '2025-05-14', end_date: '2025-06-14' },
  { device_id: 'long-expired', status: 'active', license_type: 'trianual', start_date: '2019-01-01', end_date: '2022-01-01' },
  { device_id: 'blocked', status: 'blocked', license_type: 'anual', start_date: '2025-01-01', end_date: '2026-01-01' },
  { device_id: 'pending', status: 'pending', license_type: 'anual', start_date: '2025-01-01', end_date: '2026-01-01' },
  { device_id: 'blocked-expired', status: 'blocked', license_type: 'mensal', start_date: '2025-01-01', end_date: '2025-02-01' },
  { device_id: 'pending-expired', status: 'pending', license_type: 'mensal', start_date: '2025-01-01', end_date: '2025-02-01' },
  { device_id: 'vitalicia', status: 'active', license_type: 'vitalicia', start_date: '2020-01-01', end_date: null },
  { device_id: 'vitalicia-stale-end', status: 'active', license_type: 'vitalicia', start_date: '2020-01-01', end_date: '2021-01-01' },
  { device_id: 'no-end-date', status: 'active', license_type: 'anual', start_date: null, end_date: null },
  { device_id: 'pending-vitalicia', status: 'pending', license_type: 'vitalicia', start_date: '2020-01-01', end_date: null },
  { device_id: 'blocked-vitalicia', status: 'blocked', license_type: 'vitalicia', start_date: '2020-01-01', end_date: null },
];

describe('GET /verify', () => {
  const handle = useEmulator({ now: new Date(`${TODAY}T12:00:00Z`) });

  beforeEach(async () => {
    const h = handle();
    const dataset = freshDataset();
    ROWS.forEach((row, index) => dataset.devices.push(datasetLicense({ ...row, id: index + 1 })));
    await h.control.loadState(dataset);
    await h.control.setClock({ today: TODAY });
  });

  it('1. an unknown device_id gets 403 with allow false, and is not provisioned', async () => {
    const h = handle();
    const answer = await decide(h, 'never-registered');
    expect(answer.status).toBe(403);
    expect(answer.allow).toBe(false);
    expect(await findLicense(h, await h.login(), 'never-registered')).toBeUndefined();
    expect(await listLicenses(h, await h.login())).toHaveLength(ROWS.length);
  });

  it('needs no token', async () => {
    const res = await verify(handle(), 'valid');
    expect(res.status).toBe(200);
    expect((res.json as VerifyBody).allow).toBe(true);
  });

  it('5. an active, unexpired license is allowed', async () => {
    expect((await decide(handle(), 'valid')).allow).toBe(true);
  });

  it('2. a blocked license is denied', async () => {
    expect((await decide(handle(), 'blocked')).allow).toBe(false);
    expect((await decide(handle(), 'blocked-vitalicia')).allow).toBe(false);
  });

  it('3. a license is denied the day after its end_date and allowed on the end_date itself', async () => {
    const h = handle();
    expect((await decide(h, 'expired')).allow).toBe(false);
    expect((await decide(h, 'long-expired')).allow).toBe(false);
    expect((await decide(h, 'ends-today')).allow).toBe(true);
    await h.control.setClock({ today: '2025-06-16' });
    expect((await decide(h, 'ends-today')).allow).toBe(false);
  });

  it('3. the server date decides: 23:59 UTC on the end_date is still allowed, 00:00 UTC the next day is not', async () => {
    const h = handle();
    await h.control.setClock({ now: `${TODAY}T23:59:59Z` });
    expect((await decide(h, 'ends-today')).allow).toBe(true);
    await h.control.setClock({ now: '2025-06-16T00:00:00Z' });
    expect((await decide(h, 'ends-today')).allow).toBe(false);
  });

  it('3. a vitalicia license never expires, even with an old end_date; neither does a license without end_date', async () => {
    const h = handle();
    await h.control.setClock({ today: '2099-12-31' });
    expect((await decide(h, 'vitalicia')).allow).toBe(true);
    expect((await decide(h, 'vitalicia-stale-end')).allow).toBe(true);
    expect((await decide(h, 'no-end-date')).allow).toBe(true);
  });

  it('4. a pending license is denied', async () => {
    expect((await decide(handle(), 'pending')).allow).toBe(false);
    expect((await decide(handle(), 'pending-vitalicia')).allow).toBe(false);
  });

  it('the order: a blocked and expired license is denied as blocked, not as expired', async () => {
    const h = handle();
    const both = await decide(h, 'blocked-expired');
    const blocked = await decide(h, 'blocked');
    const expired = await decide(h, 'expired');
    expect(both.allow).toBe(false);
    expect(blocked.msg).not.toBe(expired.msg);
    expect(both.msg).toBe(blocked.msg);
  });

  it('the order: a pending and expired license is denied as expired, not as pending', async () => {
    const h = handle();
    const both = await decide(h, 'pending-expired');
    const pending = await decide(h, 'pending');
    const expired = await decide(h, 'expired');
    expect(both.allow).toBe(false);
    expect(pending.msg).not.toBe(expired.msg);
    expect(both.msg).toBe(expired.msg);
  });

  it('the decision follows the API: created allowed, blocked denied, activated allowed, re-created after expiry allowed', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, { device_id: 'live', license_type: 'mensal' });
    expect((await decide(h, 'live')).allow).toBe(true);
    await deactivate(h, token, 'live', { action: 'block' });
    expect((await decide(h, 'live')).allow).toBe(false);
    await deactivate(h, token, 'live', { action: 'activate' });
    expect((await decide(h, 'live')).allow).toBe(true);
    await h.control.setClock({ today: '2025-07-15' });
    expect((await decide(h, 'live')).allow).toBe(true);
    await h.control.setClock({ today: '2025-07-16' });
    expect((await decide(h, 'live')).allow).toBe(false);
    await upsertOk(h, token, { device_id: 'live', license_type: 'mensal' });
    expect((await decide(h, 'live')).allow).toBe(true);
  });

  it('a query id is matched after trimming', async () => {
    const h = handle();
    const res = await h.request({ path: `/verify?id=${encodeURIComponent('  valid ')}&version=1.0&ts=20250615120000` });
    expect(res.status).toBe(200);
    expect((res.json as VerifyBody).allow).toBe(true);
  });

  it('records telemetry (last_seen_at, last_version) without touching status or dates', async () => {
    const h = handle();
    const token = await h.login();
    await h.control.setClock({ now: '2025-06-15T18:45:10Z' });
    for (const deviceId of ['valid', 'blocked', 'expired', 'pending']) {
      const before = await getLicense(h, token, deviceId);
      expect(before.last_seen_at).toBeNull();
      await verify(h, deviceId, '4.5.6');
      const after = await getLicense(h, token, deviceId);
      expect(after.last_version).toBe('4.5.6');
      expect(typeof after.last_seen_at).toBe('string');
      expect(after.last_seen_at).toContain('2025-06-15');
      expect(after.last_seen_at).toContain('18:45:10');
      const telemetry = ['last_seen_at', 'last_seen_ip', 'last_hostname', 'last_version'] as const;
      expect(without(after, ...telemetry)).toEqual(without(before, ...telemetry));
    }
  });

  it('records the newest version on every call', async () => {
    const h = handle();
    const token = await h.login();
    await verify(h, 'valid', '1.0.0');
    await h.control.setClock({ now: '2025-06-16T08:00:00Z' });
    await verify(h, 'valid', '1.1.0');
    const license = await getLicense(h, token, 'valid');
    expect(license.last_version).toBe('1.1.0');
    expect(license.last_seen_at).toContain('2025-06-16');
  });

  it('the same call gives the same decision again: telemetry does not change it', async () => {
    const h = handle();
    for (const row of ROWS) {
      const first = await decide(h, row.device_id);
      const second = await decide(h, row.device_id);
      expect(second, row.device_id).toEqual(first);
    }
  });
});
