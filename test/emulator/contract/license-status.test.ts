import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../support/emulator-fixture.js';
import {
  datasetLicense,
  deactivate,
  freshDataset,
  getLicense,
  listLicenses,
  upsertOk,
  without,
} from '../../support/license-api-helpers.js';
import type { RawResponse } from '../../support/raw-http.js';
import { expectJsonError } from '../../support/response-assertions.js';

// Contract, "POST /admin/devices/<device_id>/deactivate": block, activate and
// toggle (the default); it touches status only.

function statusOf(res: RawResponse): unknown {
  return (res.json as { status?: unknown } | undefined)?.status;
}

describe('POST /admin/devices/<device_id>/deactivate', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  beforeEach(async () => {
    const h = handle();
    await h.control.loadState(freshDataset());
    await h.control.setClock({ today: '2025-01-31' });
    const token = await h.login();
    await upsertOk(h, token, { device_id: 'lic', license_type: 'mensal', owner_name: 'Dona Lic', email: 'lic@example.com' });
    await upsertOk(h, token, { device_id: 'other', license_type: 'anual' });
  });

  it('block answers 200 {"success": true, "device_id", "status": "blocked"} and blocks the license', async () => {
    const h = handle();
    const token = await h.login();
    const res = await deactivate(h, token, 'lic', { action: 'block' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json).toEqual({ success: true, device_id: 'lic', status: 'blocked' });
    expect((await getLicense(h, token, 'lic')).status).toBe('blocked');
    expect((await getLicense(h, token, 'other')).status).toBe('active');
  });

  it('block on a blocked license keeps it blocked', async () => {
    const h = handle();
    const token = await h.login();
    await deactivate(h, token, 'lic', { action: 'block' });
    const res = await deactivate(h, token, 'lic', { action: 'block' });
    expect(res.status).toBe(200);
    expect(statusOf(res)).toBe('blocked');
    expect((await getLicense(h, token, 'lic')).status).toBe('blocked');
  });

  it('activate answers "status": "active" and activates a blocked license', async () => {
    const h = handle();
    const token = await h.login();
    await deactivate(h, token, 'lic', { action: 'block' });
    const res = await deactivate(h, token, 'lic', { action: 'activate' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, device_id: 'lic', status: 'active' });
    expect((await getLicense(h, token, 'lic')).status).toBe('active');
  });

  it('activate on an active license keeps it active', async () => {
    const h = handle();
    const token = await h.login();
    const res = await deactivate(h, token, 'lic', { action: 'activate' });
    expect(res.status).toBe(200);
    expect(statusOf(res)).toBe('active');
    expect((await getLicense(h, token, 'lic')).status).toBe('active');
  });

  it('toggle flips the status, and toggling twice returns to the start: it is not idempotent', async () => {
    const h = handle();
    const token = await h.login();
    const first = await deactivate(h, token, 'lic', { action: 'toggle' });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ success: true, device_id: 'lic', status: 'blocked' });
    expect((await getLicense(h, token, 'lic')).status).toBe('blocked');
    const second = await deactivate(h, token, 'lic', { action: 'toggle' });
    expect(second.json).toEqual({ success: true, device_id: 'lic', status: 'active' });
    expect((await getLicense(h, token, 'lic')).status).toBe('active');
  });

  it.each([
    ['no body', undefined],
    ['an empty object', {}],
    ['a null action', { action: null }],
    ['an empty action', { action: '' }],
  ])('toggle is the default when action is missing (%s)', async (_case, body) => {
    const h = handle();
    const token = await h.login();
    const first = await deactivate(h, token, 'lic', body);
    expect(first.status).toBe(200);
    expect(statusOf(first)).toBe('blocked');
    expect((await getLicense(h, token, 'lic')).status).toBe('blocked');
    const second = await deactivate(h, token, 'lic', body);
    expect(statusOf(second)).toBe('active');
    expect((await getLicense(h, token, 'lic')).status).toBe('active');
  });

  it('the action is trimmed', async () => {
    const h = handle();
    const token = await h.login();
    const res = await deactivate(h, token, 'lic', { action: '  block ' });
    expect(res.status).toBe(200);
    expect((await getLicense(h, token, 'lic')).status).toBe('blocked');
  });

  it.each(['block', 'activate', 'toggle'])('404 for an unknown license (action %s), and nothing changes', async (action) => {
    const h = handle();
    const token = await h.login();
    const before = await listLicenses(h, token);
    expectJsonError(await deactivate(h, token, 'no-such-license', { action }), 404);
    expect(await listLicenses(h, token)).toEqual(before);
  });

  it('touches status only: never the dates, whatever the clock says', async () => {
    const h = handle();
    const token = await h.login();
    const before = await getLicense(h, token, 'lic');
    await h.control.setClock({ today: '2025-09-10' });
    for (const action of ['block', 'activate', 'toggle', 'toggle']) {
      expect((await deactivate(h, token, 'lic', { action })).status).toBe(200);
      expect(without(await getLicense(h, token, 'lic'), 'status')).toEqual(without(before, 'status'));
    }
    expect(await getLicense(h, token, 'other')).toMatchObject({ status: 'active', start_date: '2025-01-31', end_date: '2026-01-31' });
  });

  it('there is no way to set pending', async () => {
    const h = handle();
    const token = await h.login();
    for (const action of ['pending', 'PENDING', 'pend']) {
      const res = await deactivate(h, token, 'lic', { action, status: 'pending' });
      expect(statusOf(res)).not.toBe('pending');
      expect((await getLicense(h, token, 'lic')).status).not.toBe('pending');
    }
    for (const action of ['block', 'activate', 'toggle']) {
      await deactivate(h, token, 'lic', { action, status: 'pending' });
      expect((await getLicense(h, token, 'lic')).status).not.toBe('pending');
    }
  });

  it('a pending license (loaded, since the API cannot make one) is activated by activate and blocked by block', async () => {
    const h = handle();
    const dataset = freshDataset();
    dataset.devices.push(datasetLicense({ id: 1, device_id: 'pend-a', status: 'pending' }), datasetLicense({ id: 2, device_id: 'pend-b', status: 'pending' }));
    await h.control.loadState(dataset);
    const token = await h.login();
    expect(statusOf(await deactivate(h, token, 'pend-a', { action: 'activate' }))).toBe('active');
    expect(statusOf(await deactivate(h, token, 'pend-b', { action: 'block' }))).toBe('blocked');
    expect((await getLicense(h, token, 'pend-a')).status).toBe('active');
    expect((await getLicense(h, token, 'pend-b')).status).toBe('blocked');
  });
});
