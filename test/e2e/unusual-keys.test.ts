import { describe, expect, it } from 'vitest';
import { stripLikeServer } from '../../src/domain/server-strip.js';
import { createUserOk, deactivate, upsertOk } from '../support/license-api-helpers.js';
import { allowedLicense, daysFromToday, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { deviceIds, runJson, verifyAllow } from './support/e2e-helpers.js';
import { allowMap } from './support/report.js';

// Keys as the real server sees them. A device_id with "/" can be created
// (its key travels in the body) but no /admin/devices/<id>/... call reaches it
// (the router decodes %2F first): the sync must never create such a license,
// and one a backup already allows against the primary needs a person. Keys
// are stripped with Python's str.strip(): U+FEFF stays, U+001F and U+0085 go.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

describe('device_ids with "/" against a primary that denies some of them', () => {
  it('never lets the backup allow what the primary denies, names them, and says what a person must do', async () => {
    const p = pair();
    const primary = datasetOf({
      licenses: [
        allowedLicense('ABC/123'),
        allowedLicense('a//b', { status: 'blocked' }),
        allowedLicense('zz/', { end_date: daysFromToday(-3) }),
        allowedLicense('/lead', { status: 'blocked' }),
        // Where a merged-slash redirect would land: must never be touched.
        allowedLicense('zz'),
        allowedLicense('lead'),
        allowedLicense('plain', { status: 'blocked' }),
      ],
    });
    // The backup already lets "/lead" in (made before the sync existed, by hand).
    const backup = datasetOf({ licenses: [allowedLicense('/lead'), allowedLicense('zz'), allowedLicense('lead')] });
    await p.load(primary, backup);
    const ids = primary.devices.map((row) => row.device_id);

    const first = await runJson(p);
    expect(first.exitCode, first.stderr).toBe(1);
    expect(first.report.outcome).toBe('failed');
    expect([...(first.report.skipped.byReason['not-addressable']?.keys ?? [])].sort()).toEqual(['license:ABC/123', 'license:a//b', 'license:zz/']);
    expect(first.report.skipped.byReason['over-grant']).toEqual({ count: 1, keys: ['license:/lead'] });
    expect(first.report.needsPerson).toEqual([{ key: 'license:/lead', detail: expect.stringContaining('Delete it by hand in the admin panel of the backup, or, if that client should get in, unblock it on the primary') as unknown }]);
    expect(first.report.verdict).toContain('1 license OVER-GRANTED');
    expect(first.report.verdict).toContain('3 licenses not replicable');
    expect(first.report.failures).toEqual([]);
    // For a scheduled run whose stdout nobody reads, stderr says it too.
    expect(first.stderr).toContain('backup: license /lead: OVER-GRANT, needs a person: the backup allows it while the primary denies it (blocked)');

    // Nothing with "/" was created; "plain" was created and blocked; the redirect targets are untouched.
    expect((await deviceIds(p.backup)).sort()).toEqual(['/lead', 'lead', 'plain', 'zz']);
    const onPrimary = await allowMap(p.primary, ids);
    const onBackup = await allowMap(p.backup, ids);
    const overGranted = ids.filter((id) => onBackup.get(id) === true && onPrimary.get(id) === false);
    expect(overGranted).toEqual(['/lead']);
    expect(onBackup.get('zz')).toBe(true);
    expect(onBackup.get('lead')).toBe(true);
    // Only the creation of "plain" and its block were sent: no path call for a slashed id.
    expect((await p.backup.control.writes()).writes.map((write) => `${write.route} ${write.key ?? ''}`)).toEqual([
      'POST /admin/devices/create plain',
      'POST /admin/devices/:device_id/deactivate plain',
    ]);

    // The second run, before anyone acts: still exit 1, and the text report says exactly what to do.
    const second = await p.cli([]);
    expect(second.exitCode, second.stderr).toBe(1);
    expect(second.stdout).toContain('over-grant (1): OVER-GRANT, needs a person');
    expect(second.stdout).toContain("delete each by hand in the backup's admin panel, or allow it again on the primary");
    expect(second.stdout).toContain('license /lead');
    expect(second.stdout).toContain('not-addressable (3)');

    // A person deletes "/lead" by hand on the backup: the next run exits 0 and still names what it cannot replicate.
    const state = await p.backup.control.state();
    await p.backup.control.loadState({ ...state, devices: state.devices.filter((row) => row.device_id !== '/lead') });
    const third = await runJson(p);
    expect(third.exitCode, third.stderr).toBe(0);
    expect(third.report.outcome).toBe('in-sync');
    // "/lead" is now missing on the backup, and never created there: the fourth not replicable.
    expect(third.report.verdict).toBe('In sync: nothing to do. 4 licenses not replicable: device_id cannot be sent in a URL path (e.g. it contains "/"), see "not-addressable".');
    expect(third.report.skipped.byReason['not-addressable']?.count).toBe(4);
    expect(third.report.skipped.byReason['over-grant']).toBeUndefined();
    const after = await allowMap(p.backup, ids);
    expect(ids.filter((id) => after.get(id) === true && onPrimary.get(id) === false)).toEqual([]);
  });
});

describe('keys that differ only by characters Python strip() keeps or removes', () => {
  it('round-trip: the backup holds exactly the primary keys, and /verify agrees on every one', async () => {
    const p = pair();
    await p.load(datasetOf({}), datasetOf({}));
    const token = await p.primary.login();
    // As clients sent them to the primary; the server strips them with Python's str.strip().
    const sent = ['\uFEFFk1', 'k1', 'k2\uFEFF', 'k2', '\u001Fk3\u0085', ' k4 ', 'k\u0085\u001F5', '\u00A0k6\u3000', '\uFEFF k7'];
    for (const deviceId of sent) await upsertOk(p.primary, token, { device_id: deviceId, license_type: 'anual', owner_name: `owner ${deviceId}` });
    for (const deviceId of ['\uFEFFk1', 'k2\uFEFF', '\u001Fk3\u0085', '\uFEFF k7']) expect((await deactivate(p.primary, token, stripLikeServer(deviceId), { action: 'block' })).status).toBe(200);
    for (const username of ['\uFEFFana', 'ana', '\u001Fbia\u0085']) await createUserOk(p.primary, token, { username, password: 'segredo-1' });
    const primaryIds = (await deviceIds(p.primary)).sort();
    expect(primaryIds).toEqual(['\uFEFF k7', '\uFEFFk1', 'k1', 'k2', 'k2\uFEFF', 'k3', 'k4', 'k\u0085\u001F5', 'k6'].sort());

    const run = await runJson(p);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.report.outcome).toBe('in-sync');
    expect(run.report.servers.flatMap((server) => server.rejected)).toEqual([]);

    expect((await deviceIds(p.backup)).sort()).toEqual(primaryIds);
    const users = (state: { users: readonly { username: string }[] }) => state.users.map((user) => user.username).sort();
    expect(users(await p.backup.control.state())).toEqual(users(await p.primary.control.state()));
    for (const deviceId of [...sent, ...primaryIds]) {
      expect(await verifyAllow(p.backup, deviceId), JSON.stringify(deviceId)).toBe(await verifyAllow(p.primary, deviceId));
    }
    expect(await verifyAllow(p.backup, '\uFEFFk1')).toBe(false);
    expect(await verifyAllow(p.backup, 'k1')).toBe(true);

    const again = await runJson(p);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.report.plan?.operations).toEqual([]);
  });
});
