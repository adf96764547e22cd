import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DeviceRow } from '../../src/emulator/dataset/dataset-file.js';
import type { InterceptedRequest } from '../../src/emulator/server.js';
import { runJson } from '../e2e/support/e2e-helpers.js';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { DOT_SEGMENT_IDS, PATH_LIKE_IDS, WRITES_OF, pathCases } from './support/hostile-path-ids.js';
import { allowMismatches, licenseRows, strayRoutes, writeLog } from './support/hostile-observer.js';
import { HostileFamily } from './support/hostile-scenario.js';

// device_ids that look like paths (`..%2F..%2Fadmin%2Fusers`), queries,
// fragments, percent escapes, quotes, backslashes and other scripts travel in
// the URL path of block, activate and delete: on the wire each is one
// percent-encoded segment of exactly the intended route, and never reaches
// another endpoint. `.` and `..` cannot be one segment (a URL drops them): they
// are skipped, reported and left alone on both servers.

const pair = useSyncPair();

afterEach(() => pair().backup.emulator.intercept(null));

const family = new HostileFamily(
  'path-characters',
  `device_ids with %2F, .., ?, #, %, spaces, quotes, backslash, non-ASCII, +, &, = through every write; exactly . and ..`,
  `${PATH_LIKE_IDS.length} ids × 10 roles (block, activate, delete, create then block, pending, expired, re-own, upsert, create, same) + . and ..`,
  1,
);
afterAll(() => family.record());

/** The contract's routes, as the emulator names them: nothing else may be asked for. */
const CONTRACT_ROUTES = new Set([
  'GET /health',
  'POST /admin/login',
  'GET /admin/users',
  'GET /admin/devices',
  'POST /admin/devices/create',
  'POST /admin/devices/update-created-by',
  'POST /admin/devices/:device_id/deactivate',
  'DELETE /admin/devices/:device_id/delete',
]);

const REPLICATED_FIELDS = ['owner_name', 'cpf', 'email', 'address', 'license_type', 'created_by'] as const satisfies readonly (keyof DeviceRow)[];

describe('device_ids that look like paths', () => {
  it('reach exactly their own route, percent-encoded on the wire, and end equal on both servers; . and .. are left alone', async () => {
    const p = pair();
    const cases = pathCases();
    const present = <T>(value: T | null): value is T => value !== null;
    await p.load(
      datasetOf({ licenses: [...cases.map((c) => c.primary).filter(present), allowedLicense('.')] }),
      datasetOf({ licenses: [...cases.map((c) => c.backup).filter(present), allowedLicense('.', { status: 'blocked' }), allowedLicense('..')] }),
    );
    const seen: InterceptedRequest[] = [];
    p.backup.emulator.intercept((request) => {
      seen.push(request);
      return undefined;
    });
    const deletions = cases.filter((c) => c.role === 'delete').length;

    // --max-delete exactly the backup-only licenses: `..` (backup-only too) must not count among them.
    const run = await runJson(p, ['--delete', '--max-delete', String(deletions), '--concurrency', '16']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.report.outcome).toBe('in-sync');

    // On the wire: only the contract's routes, each path write on its own id's segment.
    expect(seen.filter((request) => !CONTRACT_ROUTES.has(request.route)).map((request) => `${request.method} ${request.rawPath}`)).toEqual([]);
    expect(await strayRoutes(p.primary, p.backup)).toEqual([]);
    const segment = (deviceId: string) => `/admin/devices/${encodeURIComponent(deviceId)}`;
    const expectedPathWrites = cases.flatMap((c) =>
      WRITES_OF[c.role].flatMap((write) => {
        if (write === 'block' || write === 'activate') return [`POST ${segment(c.deviceId)}/deactivate ${write}`];
        if (write === 'delete') return [`DELETE ${segment(c.deviceId)}/delete`];
        return [];
      }),
    );
    const pathWrites = seen
      .filter((request) => request.route.includes(':device_id'))
      .map((request) => `${request.method} ${request.rawPath}${request.method === 'POST' ? ` ${String((request.body as { action?: unknown }).action)}` : ''}`);
    expect(pathWrites.sort()).toEqual(expectedPathWrites.sort());
    for (const request of seen.filter((r) => r.route.includes(':device_id'))) {
      expect(request.rawPath, 'only unreserved characters and escapes in the path').toMatch(/^[A-Za-z0-9\-._~!*'()%/]+$/);
    }
    const bodyWrites = seen
      .filter((request) => request.route === 'POST /admin/devices/create' || request.route === 'POST /admin/devices/update-created-by')
      .map((request) => `${request.route} ${JSON.stringify((request.body as { device_id?: unknown }).device_id)}`);
    const expectedBodyWrites = cases.flatMap((c) =>
      WRITES_OF[c.role].flatMap((write) => {
        if (write === 'create') return [`POST /admin/devices/create ${JSON.stringify(c.deviceId)}`];
        if (write === 'reown') return [`POST /admin/devices/update-created-by ${JSON.stringify(c.deviceId)}`];
        return [];
      }),
    );
    expect(bodyWrites.sort()).toEqual(expectedBodyWrites.sort());

    // The result: the backup holds and answers exactly what the primary does, id for id.
    const [onPrimary, onBackup] = await Promise.all([licenseRows(p.primary), licenseRows(p.backup)]);
    for (const c of cases) {
      if (c.primary === null) {
        expect(onBackup.has(c.deviceId), `${JSON.stringify(c.deviceId)} deleted`).toBe(false);
        continue;
      }
      const mine = onBackup.get(c.deviceId);
      expect(mine, `${JSON.stringify(c.deviceId)} on the backup`).toBeDefined();
      for (const field of REPLICATED_FIELDS) expect(mine?.[field], `${JSON.stringify(c.deviceId)}.${field}`).toBe(onPrimary.get(c.deviceId)?.[field]);
    }
    const kept = cases.filter((c) => c.primary !== null).map((c) => c.deviceId);
    expect(await allowMismatches(p.primary, p.backup, kept)).toEqual([]);
    expect(onBackup.has('cafe\u0301') && onBackup.has('caf\u00e9'), 'decomposed and precomposed ids stay two licenses').toBe(true);

    // `.` and `..`: reported on each side that lists them, skipped, untouched.
    const rejected = (side: string) => run.report.servers.find((server) => server.name === side)?.rejected ?? [];
    expect(rejected('primary')).toEqual([{ kind: 'license', key: '.', index: expect.any(Number), reason: expect.stringMatching(/dot segment/) }]);
    expect(rejected('backup').map((record) => record.key).sort()).toEqual([...DOT_SEGMENT_IDS]);
    expect(run.report.skipped.byReason.unreadable?.keys.slice().sort()).toEqual(DOT_SEGMENT_IDS.map((key) => `license:${key}`));
    expect(writeLog(p.backup).filter((entry) => entry.key === '.' || entry.key === '..')).toEqual([]);
    expect(onBackup.get('.')?.status).toBe('blocked');
    expect(onBackup.has('..')).toBe(true);

    // Nothing left to do.
    p.backup.emulator.intercept(null);
    const again = await runJson(p, ['--delete', '--max-delete', String(deletions)]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.report.plan?.operations).toEqual([]);

    family.add({
      runs: 1,
      operationsFailed: run.report.applied.summary.failed + again.report.applied.summary.failed,
      requestsRetried: 0,
      lost: [],
      note: `${cases.length} licenses, ${pathWrites.length} path writes and ${bodyWrites.length} body writes checked on the wire; . and .. skipped; second run plans nothing`,
    });
  });
});
