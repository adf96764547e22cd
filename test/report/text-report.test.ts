import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import { renderTextReport } from '../../src/report/text-report.js';
import { buildSnapshot } from '../../src/snapshot/build-snapshot.js';
import { aLicenseRow, aUserRow } from '../plan/support/records.js';
import type { DriftItem } from '../../src/plan/plan-types.js';
import { ONE_WAY } from '../../src/plan/reasons.js';
import {
  aFailure,
  aPlan,
  aRunResult,
  activateLicense,
  aServer,
  blockLicense,
  contentDiffers,
  createLicense,
  createUser,
  deleteLicense,
  done,
  driftItem,
  failed,
  hasSection,
  many,
  reownLicense,
  sectionOf,
  skippedItem,
  to,
  updateLicense,
} from './support/run-result-builders.js';

const MORE_HINT = '(use --json for the full list)';

// Times are shown in the machine's time zone: pin it for these tests.
process.env.TZ = 'UTC';

describe('renderTextReport: frame', () => {
  it('starts with the verdict, then the command, both servers, the day, the start and the duration', () => {
    const lines = renderTextReport(aRunResult({ today: '2025-07-14', durationMs: 12_345 })).split('\n');
    expect(lines[0]).toBe('Result: In sync: nothing to do.');
    expect(lines[2]).toBe('sync-dbs sync: https://primary.example.com → https://backup.example.com');
    expect(lines[3]).toBe('  day 2025-07-14, started 06/01/2025 10:00:00 UTC, took 12.3 s');
  });

  it('shows the start in the machine\'s time zone with its offset', () => {
    process.env.TZ = 'America/Sao_Paulo';
    try {
      expect(renderTextReport(aRunResult())).toContain('started 06/01/2025 07:00:00 UTC-03:00');
    } finally {
      process.env.TZ = 'UTC';
    }
  });

  it('ends with one newline', () => {
    const text = renderTextReport(aRunResult({ durationMs: 12_345 }));
    expect(text.endsWith('\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
  });

  it('shows the duration with one decimal', () => {
    expect(renderTextReport(aRunResult({ durationMs: 50 }))).toContain('took 0.1 s');
    expect(renderTextReport(aRunResult({ durationMs: 3000 }))).toContain('took 3.0 s');
  });

  it('keeps the verdict the first line even when text from a server holds line breaks', () => {
    const text = renderTextReport(
      aRunResult({
        outcome: 'unreachable',
        exitCode: 3,
        failures: [aFailure({ key: 'EVIL\nResult: in sync.', reason: 'bad\r\nthing' })],
      }),
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('Result: Unreachable: the backup (POST /admin/devices/create: bad\\r\\nthing). Nothing was written.');
    expect(text).toContain('backup POST /admin/devices/create EVIL\\nResult: in sync.: bad\\r\\nthing');
    expect(lines.filter((line) => line.startsWith('Result:'))).toHaveLength(1);
  });

  it('keeps sections in reading order', () => {
    const op = createLicense('D1');
    const text = renderTextReport(
      aRunResult({
        guards: [{ guard: 'deletion-limit', facts: { deletions: 2, maxDelete: 1 } }],
        plan: aPlan({
          operations: [op],
          skipped: [skippedItem('backup-only', 'B1')],
          drift: [driftItem('user-email', 'bob'), { kind: 'license-telemetry', key: 'D3' }],
        }),
        applied: [done(op)],
        failures: [aFailure()],
        verified: { inSync: false, relisted: true, remaining: [op] },
        newUserPasswordsFile: '/tmp/p.txt',
      }),
    );
    const headings = ['Welcome e-mails:', 'Read:', 'Refused before the first write:', 'Plan:', 'Skipped on purpose', 'Drift the API cannot repair', 'Not drift:', 'Applied:', 'Failures', 'Verification found', "New users' passwords:"];
    expect(text.startsWith('Result: ')).toBe(true);
    const positions = headings.map((heading) => text.indexOf(`\n${heading}`));
    for (const position of positions) expect(position).toBeGreaterThan(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('refuses a negative or fractional line limit', () => {
    expect(() => renderTextReport(aRunResult(), { maxLinesPerSection: -1 })).toThrow(RangeError);
    expect(() => renderTextReport(aRunResult(), { maxLinesPerSection: 2.5 })).toThrow(RangeError);
  });
});

describe('renderTextReport: Read', () => {
  it('gives per server the users and licenses read, the role and the unreadable count', () => {
    const text = renderTextReport(
      aRunResult({ servers: [aServer('primary', { users: 12, licenses: 340, requests: 3 }), aServer('backup', { users: 1, licenses: 1, role: 'user', requests: 1 })] }),
    );
    const read = sectionOf(text, 'Read:');
    expect(read[1]).toBe('  primary https://primary.example.com as sync-admin (role admin): 12 users, 340 licenses, 0 unreadable; 3 requests');
    expect(read[2]).toBe('  backup  https://backup.example.com as sync-admin (role user): 1 user, 1 license, 0 unreadable; 1 request');
  });

  it('gives under a server written to how many writes were in flight at once (median, most), their rate and the slowest answer', () => {
    const writes = { requests: 14_785, medianInFlight: 18, maxInFlight: 24, perSecond: 291.44, maxLatencyMs: 412 };
    const read = sectionOf(renderTextReport(aRunResult({ servers: [aServer('primary'), aServer('backup', { writes })] })), 'Read:');
    expect(read.slice(1)).toEqual([
      '  primary https://primary.example.com as sync-admin (role admin): 3 users, 10 licenses, 0 unreadable; 2 requests',
      '  backup  https://backup.example.com as sync-admin (role admin): 3 users, 10 licenses, 0 unreadable; 2 requests',
      '    writes: 14,785 requests at 291.4/s; in flight at once: median 18, at most 24; slowest answer 0.41 s',
    ]);
  });

  it('lists rejected records by key, or by position when they have none', () => {
    const rejected = [
      { kind: 'license' as const, key: null, index: 17, reason: 'device_id is missing' },
      { kind: 'user' as const, key: 'bob', index: 2, reason: 'role "root" is not a role' },
    ];
    const read = sectionOf(renderTextReport(aRunResult({ servers: [aServer('primary'), aServer('backup', { rejected })] })), 'Read:');
    expect(read[2]).toContain('2 unreadable');
    expect(read.slice(3)).toEqual(['    license #17: device_id is missing', '    user bob: role "root" is not a role']);
  });

  it('caps the rejected records at the line limit', () => {
    const rejected = many(15, 'K', (key) => ({ kind: 'license' as const, key, index: 0, reason: 'bad' }));
    const read = sectionOf(renderTextReport(aRunResult({ servers: [aServer('primary', { rejected })] }), { maxLinesPerSection: 4 }), 'Read:');
    expect(read).toHaveLength(1 + 1 + 4 + 1);
    expect(read.at(-2)).toBe('    license K-4: bad');
    expect(read.at(-1)).toBe(`    … and 11 more ${MORE_HINT}`);
  });

  it('says what could not be read, and when the account has no known role', () => {
    const text = renderTextReport(
      aRunResult({
        servers: [aServer('primary'), aServer('backup', { users: null, licenses: null, role: null, mustChangePassword: null })],
      }),
    );
    expect(sectionOf(text, 'Read:')[2]).toBe('  backup  https://backup.example.com as sync-admin (role unknown): listing not read; 2 requests');
  });

  it('says when the account must change its password', () => {
    const text = renderTextReport(aRunResult({ servers: [aServer('primary', { mustChangePassword: true })] }));
    expect(sectionOf(text, 'Read:')[1]).toContain('(role admin, must change its password)');
  });
});

describe('renderTextReport: guards', () => {
  it('gives each refusal with its guard', () => {
    const text = renderTextReport(
      aRunResult({
        outcome: 'refused',
        guards: [
          { guard: 'role', facts: { server: 'backup', role: 'user' } },
          { guard: 'deletion-limit', facts: { deletions: 40, maxDelete: 10 } },
        ],
      }),
    );
    expect(sectionOf(text, 'Refused before the first write:')).toEqual([
      'Refused before the first write:',
      '  role: the account on backup has role "user", not "admin": it would see only its own licenses',
      '  deletion-limit: the plan deletes 40 backup-only licenses, more than --max-delete 10 allows',
    ]);
  });

  it('has no refusal section when no guard refused', () => {
    expect(renderTextReport(aRunResult())).not.toContain('Refused');
  });
});

describe('renderTextReport: plan', () => {
  it('sums the plan up in one line, then groups operations by verb with their symbols', () => {
    const operations = [
      blockLicense('D6'),
      createLicense('D1'),
      createUser('alice'),
      deleteLicense('D9'),
      updateLicense('D4', contentDiffers('email')),
      activateLicense('D8'),
      reownLicense('D5'),
      createLicense('D2', 'deny:blocked'),
    ];
    const plan = sectionOf(renderTextReport(aRunResult({ plan: aPlan({ operations }) })), 'Plan:');
    expect(plan).toEqual([
      'Plan: 1 user to create, 2 licenses to create, 1 license to update, 1 license to re-own, 1 license to block, 1 license to activate, 1 license to delete.',
      '  create users (1): each gets a fresh random password, given to the operator in a file only they can read',
      '    + → backup user alice: missing on the backup',
      '  create licenses (2)',
      '    + → backup license D1: missing on the backup',
      '    + → backup license D2: missing on the backup; then blocked: the primary denies it (blocked)',
      '  update licenses (1): upsert: re-dates the license, re-activates it and may e-mail the customer',
      '    ~ → backup license D4: content differs (email)',
      '  re-own licenses (1): sets created_by only',
      '    ~ → backup license D5: owner admin on the backup, reseller1 on the primary',
      '  block licenses (1)',
      '    ! → backup license D6: blocked on the primary, allowed on the backup',
      '  activate licenses (1)',
      '    ^ → backup license D8: blocked on the backup, allowed by the primary',
      '  delete licenses (1): only with --delete, within --max-delete',
      '    - → backup license D9: exists only on the backup (--delete)',
    ]);
  });

  it('caps each group on its own, pointing to --json', () => {
    const operations = [...many(25, 'C', (key) => createLicense(key)), ...many(3, 'B', (key) => blockLicense(key))];
    const plan = sectionOf(renderTextReport(aRunResult({ plan: aPlan({ operations }) })), 'Plan:');
    expect(plan[0]).toBe('Plan: 25 licenses to create, 3 licenses to block.');
    const creates = plan.filter((line) => line.startsWith('    + → backup license'));
    expect(creates).toHaveLength(10);
    expect(plan).toContain(`    … and 15 more ${MORE_HINT}`);
    expect(plan.filter((line) => line.startsWith('    ! → backup license'))).toHaveLength(3);
    expect(plan.filter((line) => line.includes('more'))).toHaveLength(1);
  });

  it('follows the line limit it is given', () => {
    const operations = many(5, 'C', (key) => createLicense(key));
    const plan = sectionOf(renderTextReport(aRunResult({ plan: aPlan({ operations }) }), { maxLinesPerSection: 2 }), 'Plan:');
    expect(plan.slice(2)).toEqual(['    + → backup license C-1: missing on the backup', '    + → backup license C-2: missing on the backup', `    … and 3 more ${MORE_HINT}`]);
  });

  it('says "no changes" for an empty plan', () => {
    expect(sectionOf(renderTextReport(aRunResult()), 'Plan:')).toEqual(['Plan: no changes.']);
  });

  it('says when the run stopped before planning', () => {
    expect(sectionOf(renderTextReport(aRunResult({ plan: null, verified: null })), 'Plan:')).toEqual(['Plan: none; the run stopped before planning.']);
  });
});

describe('renderTextReport: plan command', () => {
  const planRun = aRunResult({
    command: 'plan',
    outcome: 'changes-pending',
    plan: aPlan({ operations: [createLicense('D1')] }),
    // Even if the caller passed these, a plan run shows neither.
    applied: [done(createLicense('D1'))],
    verified: { inSync: true, relisted: true, remaining: [] },
  });

  it('says nothing was written and shows neither applied nor verification', () => {
    const text = renderTextReport(planRun);
    expect(text.split('\n')[0]).toBe('Result: Plan: 1 license to create. Nothing was written.');
    expect(text.split('\n')[2]).toMatch(/^sync-dbs plan: /);
    expect(sectionOf(text, 'plan only')).toEqual(['plan only; nothing was written']);
    expect(hasSection(text, 'Applied')).toBe(false);
    expect(text).not.toMatch(/verif/i);
  });

  it('has no plan-only line for a sync', () => {
    expect(renderTextReport({ ...planRun, command: 'sync' })).not.toContain('plan only');
  });
});

describe('renderTextReport: skipped', () => {
  it('counts by reason and names a few keys', () => {
    const skipped = [...many(8, 'OLD', (key) => skippedItem('backup-only', key)), skippedItem('backup-only', 'ghost', 'user'), skippedItem('unreadable', 'BAD1')];
    const section = sectionOf(renderTextReport(aRunResult({ plan: aPlan({ skipped }) })), 'Skipped on purpose');
    expect(section[0]).toBe('Skipped on purpose (10):');
    expect(section[1]).toMatch(/^ {2}backup-only \(9\): only on the backup/);
    expect(section[2]).toBe('    license OLD-1, license OLD-2, license OLD-3, license OLD-4, license OLD-5, … and 4 more');
    expect(section[3]).toMatch(/^ {2}unreadable \(1\): /);
    expect(section[4]).toBe('    license BAD1');
  });

  it('has no section when nothing was skipped', () => {
    expect(renderTextReport(aRunResult())).not.toContain('Skipped');
  });
});

/** Dates someone changed by hand on the backup: not a span the API sets (its end is not one period after its start). */
function handDated(key: string): DriftItem {
  return { kind: 'license-dates', key, sides: ONE_WAY, source: { start: '2025-01-02', end: '2026-01-02' }, target: { start: '2025-01-01', end: '2025-12-15' } };
}

/** Dates the API set when the sync created the license on the backup: one year from the day of the call. */
function reDated(key: string): DriftItem {
  return { kind: 'license-dates', key, sides: ONE_WAY, source: { start: '2024-03-02', end: '2025-09-02' }, target: { start: '2025-06-01', end: '2026-06-01' } };
}

describe('renderTextReport: drift', () => {
  it('gives one line per kind by default: a count and an explanation, no examples', () => {
    const drift = [...many(7, 'LIC', handDated), driftItem('user-role', 'bob')];
    const section = sectionOf(renderTextReport(aRunResult({ plan: aPlan({ drift }) })), 'Drift');
    expect(section).toEqual([
      'Drift the API cannot repair (8):',
      "  user-role (1): the user's role differs; no endpoint changes a user once created",
      '  license-dates (7): dates differ; no endpoint writes them and an upsert would re-date the license and e-mail the customer',
      '  examples: --verbose, or --json',
    ]);
  });

  it('adds up to 3 examples per kind under --verbose', () => {
    const drift = [...many(7, 'LIC', handDated), driftItem('user-role', 'bob')];
    const section = sectionOf(renderTextReport(aRunResult({ plan: aPlan({ drift }) }), { verbose: true }), 'Drift');
    expect(section).toEqual([
      'Drift the API cannot repair (8):',
      "  user-role (1): the user's role differs; no endpoint changes a user once created",
      '    bob: role user on the backup, admin on the primary',
      '  license-dates (7): dates differ; no endpoint writes them and an upsert would re-date the license and e-mail the customer',
      '    LIC-1: 2025-01-01..2025-12-15 on the backup, 2025-01-02..2026-01-02 on the primary',
      '    LIC-2: 2025-01-01..2025-12-15 on the backup, 2025-01-02..2026-01-02 on the primary',
      '    LIC-3: 2025-01-01..2025-12-15 on the backup, 2025-01-02..2026-01-02 on the primary',
      '    … and 4 more',
    ]);
  });

  it('shows fewer examples when the line limit is lower', () => {
    const drift = many(5, 'LIC', (key) => driftItem('license-features', key));
    const section = sectionOf(renderTextReport(aRunResult({ plan: aPlan({ drift }) }), { maxLinesPerSection: 1, verbose: true }), 'Drift');
    expect(section.slice(2)).toEqual(['    LIC-1: none on the backup, "core" on the primary', '    … and 4 more']);
  });

  it('has no section without drift', () => {
    expect(renderTextReport(aRunResult())).not.toContain('Drift');
  });
});

describe("renderTextReport: the sync's own differences", () => {
  const expected: DriftItem[] = [
    ...many(946, 'R', reDated),
    ...many(704, 'T', (key) => ({ kind: 'license-telemetry', key }) as const),
    { kind: 'license-custom-interval', key: 'C1', sides: ONE_WAY, source: null, target: 60 },
    { kind: 'license-features', key: 'F1', sides: ONE_WAY, source: 'core,nfe', target: 'core' },
    { kind: 'license-deny-reason', key: 'E1', sides: ONE_WAY, source: 'deny:expired', target: 'deny:blocked' },
  ];

  it('are not drift: one line counts them per kind and points to the docs', () => {
    const text = renderTextReport(aRunResult({ plan: aPlan({ drift: expected }) }));
    expect(text).not.toContain('Drift');
    expect(sectionOf(text, 'Not drift')).toEqual([
      'Not drift: 1,653 differences the sync itself leaves (license-deny-reason 1, license-dates 946, license-custom-interval 1, license-features 1, license-telemetry 704); see docs/expected-differences.md',
    ]);
  });

  it('keep real drift apart, counted on its own', () => {
    const text = renderTextReport(aRunResult({ plan: aPlan({ drift: [...expected, handDated('H1')] }) }));
    expect(sectionOf(text, 'Drift')[0]).toBe('Drift the API cannot repair (1):');
    expect(sectionOf(text, 'Not drift')[0]).toContain('Not drift: 1,653 differences');
  });

  it('are listed per kind with their reason and examples under --verbose', () => {
    const section = sectionOf(renderTextReport(aRunResult({ plan: aPlan({ drift: expected }) }), { verbose: true }), 'Not drift');
    expect(section[0]).toBe('Not drift: 1,653 differences the sync itself leaves (see docs/expected-differences.md):');
    expect(section).toContain('  license-dates (946): the API dates a license from the day the sync created or updated it; no call writes dates');
    expect(section).toContain('    R-1: 2025-06-01..2026-06-01 on the backup, 2024-03-02..2025-09-02 on the primary');
  });
});

describe('renderTextReport: welcome e-mails', () => {
  it('a plan says how many welcome e-mails each server may send, before anything is written', () => {
    const operations = [
      ...many(853, 'W', (key) => to('render', createLicense(key))),
      to('render', createLicense('NOMAIL', null)),
      to('koyeb', updateLicense('U1')),
      to('koyeb', blockLicense('B1')),
    ];
    const noMail = operations.map((operation) =>
      operation.kind === 'create-license' && operation.key === 'license:NOMAIL' ? { ...operation, body: { ...operation.body, email: null } } : operation,
    );
    const text = renderTextReport(aRunResult({ command: 'plan', outcome: 'changes-pending', plan: aPlan({ operations: noMail }) }));
    expect(sectionOf(text, 'Welcome e-mails')).toEqual([
      'Welcome e-mails: render may send up to 853 welcome e-mails to customers (licenses created or updated with an e-mail, where the server has e-mail configured)',
      'Welcome e-mails: koyeb may send up to 1 welcome e-mail to a customer (a license created or updated with an e-mail, where the server has e-mail configured)',
    ]);
  });

  it('a sync says how many its writes sent may have caused (failed ones did not)', () => {
    const applied = [done(createLicense('D1')), done(updateLicense('D2')), failed(createLicense('D3')), done(blockLicense('D4'))];
    const text = renderTextReport(aRunResult({ plan: aPlan({ operations: applied.map((entry) => entry.operation) }), applied }));
    expect(sectionOf(text, 'Welcome e-mails')).toEqual([
      'Welcome e-mails: backup may have sent up to 2 welcome e-mails to customers (licenses created or updated with an e-mail, where the server has e-mail configured)',
    ]);
  });

  it('says nothing when no write carries an e-mail', () => {
    const text = renderTextReport(aRunResult({ command: 'plan', plan: aPlan({ operations: [blockLicense('B1'), createUser('ana')] }) }));
    expect(text).not.toContain('Welcome');
  });
});

describe('renderTextReport: applied', () => {
  it('counts what was done and what failed, in the past tense', () => {
    const applied = [done(createUser('alice')), done(createLicense('D1')), done(createLicense('D2')), failed(createLicense('D3')), done(blockLicense('D4')), failed(updateLicense('D5'))];
    const section = sectionOf(renderTextReport(aRunResult({ outcome: 'failed', applied })), 'Applied:');
    expect(section).toEqual([
      'Applied: 4 of 6 operations done, 2 failed.',
      '  done: created 1 user, created 2 licenses, blocked 1 license',
      '  failed: could not create 1 license, could not update 1 license',
    ]);
  });

  it('lists the notes of the operations that have one, capped', () => {
    const applied = [
      done(createLicense('D1'), 'created, then blocked'),
      done(createLicense('D2')),
      failed(createLicense('D3'), 'block failed; the license created this run was deleted again'),
      ...many(4, 'N', (key) => done(blockLicense(key), 'succeeded on the 2nd attempt')),
    ];
    const section = sectionOf(renderTextReport(aRunResult({ applied }), { maxLinesPerSection: 3 }), 'Applied:');
    const notes = section.slice(section.indexOf('  notes:') + 1);
    expect(notes).toEqual([
      '    license D1 (done): created, then blocked',
      '    license D3 (failed): block failed; the license created this run was deleted again',
      '    license N-1 (done): succeeded on the 2nd attempt',
      `    … and 3 more ${MORE_HINT}`,
    ]);
  });

  it('has no failed line nor notes when everything went through quietly', () => {
    const section = sectionOf(renderTextReport(aRunResult({ applied: [done(activateLicense('D1'))] })), 'Applied:');
    expect(section).toEqual(['Applied: 1 of 1 operation done, 0 failed.', '  done: activated 1 license']);
  });

  it('says when nothing was written, unless the listing already matched (which says it)', () => {
    expect(sectionOf(renderTextReport(aRunResult({ verified: null })), 'Applied:')).toEqual(['Applied: nothing was written.']);
    const noOp = renderTextReport(aRunResult());
    expect(noOp).not.toContain('Applied:');
    expect(noOp).toContain('Nothing written; the listing already matched.');
  });
});

describe('renderTextReport: failures', () => {
  it('names server, endpoint and key of each failure', () => {
    const failures = [
      aFailure({ server: 'backup', endpoint: 'POST /admin/devices/D1/deactivate', key: 'D1', reason: 'HTTP 404: license not found' }),
      aFailure({ server: 'primary', endpoint: 'GET /admin/devices', key: null, reason: 'timed out after 30 s' }),
    ];
    expect(sectionOf(renderTextReport(aRunResult({ failures })), 'Failures')).toEqual([
      'Failures (2):',
      '  backup POST /admin/devices/D1/deactivate D1: HTTP 404: license not found',
      '  primary GET /admin/devices: timed out after 30 s',
    ]);
  });

  it('caps the failures at the line limit', () => {
    const failures = many(14, 'F', (key) => aFailure({ key }));
    const section = sectionOf(renderTextReport(aRunResult({ failures })), 'Failures');
    expect(section[0]).toBe('Failures (14):');
    expect(section).toHaveLength(1 + 10 + 1);
    expect(section.at(-1)).toBe(`  … and 4 more ${MORE_HINT}`);
  });

  it('has no section without failures', () => {
    expect(renderTextReport(aRunResult())).not.toContain('Failures');
  });
});

describe('renderTextReport: verification', () => {
  it('reports a verified re-listing', () => {
    const text = renderTextReport(aRunResult({ applied: [done(createLicense('D1'))], verified: { inSync: true, relisted: true, remaining: [] } }));
    expect(sectionOf(text, 'Verified')).toEqual(['Verified: backup re-listed, nothing left to do.']);
  });

  it('reports operations still needed after the re-listing, capped', () => {
    const remaining = many(12, 'R', (key) => blockLicense(key));
    const text = renderTextReport(aRunResult({ outcome: 'failed', verified: { inSync: false, relisted: true, remaining } }));
    const section = sectionOf(text, 'Verification found');
    expect(section[0]).toBe('Verification found 12 operations still needed:');
    expect(section[1]).toBe('  ! → backup license R-1: blocked on the primary, allowed on the backup');
    expect(section).toHaveLength(1 + 10 + 1);
    expect(section.at(-1)).toBe(`  … and 2 more ${MORE_HINT}`);
  });

  it('says nothing was written when the first listing already matched', () => {
    expect(sectionOf(renderTextReport(aRunResult()), 'Nothing written')).toEqual(['Nothing written; the listing already matched.']);
  });

  it('says what is still needed when nothing could be written', () => {
    const remaining = [createLicense('D1')];
    const text = renderTextReport(aRunResult({ applied: [failed(createLicense('D1'))], verified: { inSync: false, relisted: false, remaining } }));
    expect(sectionOf(text, 'Nothing written')).toEqual(['Nothing written; 1 operation still needed:', '  + → backup license D1: missing on the backup']);
  });

  it('says so when the backup could not be re-listed to verify', () => {
    const relistFailed = aFailure({ server: 'backup', endpoint: 'GET /admin/devices', key: null, reason: 'connection reset' });
    const text = renderTextReport(aRunResult({ applied: [done(createLicense('D1'))], failures: [relistFailed], verified: { inSync: false, relisted: false, remaining: [] } }));
    expect(text).toContain('Verification: the backup could not be re-listed (see Failures).');
    expect(text).not.toContain('0 operations still needed');
  });

  it('says the verification was not done, not that a re-listing failed, when the run stopped before re-listing and nothing failed', () => {
    // Two-way and interrupted: the step towards the primary verified without re-listing, the step towards the backup stopped early.
    const text = renderTextReport(aRunResult({ outcome: 'interrupted', applied: [done(createLicense('D1'))], verified: { inSync: false, relisted: false, remaining: [] } }));
    expect(text).toContain('Verification: not done; the run stopped before re-listing the backup.');
    expect(text).not.toContain('see Failures');
  });

  it('says when writes were made but not verified', () => {
    const text = renderTextReport(aRunResult({ applied: [done(createLicense('D1'))], verified: null }));
    expect(text).toContain('Verification: not done; the run stopped before re-listing the backup.');
  });

  it('says nothing about verification when nothing was applied nor verified', () => {
    const text = renderTextReport(aRunResult({ outcome: 'unreachable', plan: null, verified: null }));
    expect(text).not.toMatch(/verif/i);
  });
});

describe('renderTextReport: new users', () => {
  it('gives the password file and says only the operator can read it', () => {
    const text = renderTextReport(aRunResult({ newUserPasswordsFile: '/home/op/.local/state/sync-dbs/new-users.txt' }));
    const section = sectionOf(text, "New users' passwords:");
    expect(section[0]).toBe("New users' passwords: /home/op/.local/state/sync-dbs/new-users.txt");
    expect(section[1]).toMatch(/readable only by the operator/);
  });

  it('says nothing about passwords when no user was created', () => {
    expect(renderTextReport(aRunResult())).not.toMatch(/password/i);
  });
});

describe('renderTextReport: in Brazilian Portuguese', () => {
  afterEach(() => setLanguage('en'));

  it('words the verdict, headings, counts and times in Portuguese, numbers the Brazilian way', () => {
    setLanguage('pt-BR');
    const drift: DriftItem[] = [...many(1_653, 'T', (key) => ({ kind: 'license-telemetry', key }) as const), handDated('H1')];
    const operations = many(1_200, 'N', (key) => createLicense(key));
    const text = renderTextReport(aRunResult({ command: 'plan', outcome: 'changes-pending', plan: aPlan({ operations, drift }) }));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Resultado: Plano: 1.200 licenças a criar. Nada foi gravado.');
    expect(lines[3]).toBe('  dia 2025-06-01, início 01/06/2025 10:00:00 UTC, duração 1,2 s');
    expect(text).toContain(
      'E-mails de boas-vindas: backup pode enviar até 1.200 e-mails de boas-vindas a clientes (licenças criadas ou atualizadas com e-mail, se o servidor tiver e-mail configurado)',
    );
    expect(text).toContain('  primary https://primary.example.com como sync-admin (papel admin): 3 revendedores, 10 licenças, 0 ilegíveis; 2 requisições');
    expect(text).toContain('Plano: 1.200 licenças a criar.');
    expect(text).toContain('Divergências que a API não consegue corrigir (1):');
    expect(text).toContain('  exemplos: --verbose, ou --json');
    expect(text).toContain('Não são divergências: 1.653 diferenças que a própria sincronização deixa (license-telemetry 1.653); veja docs/expected-differences.md');
    expect(text).toContain('só o plano; nada foi gravado');
    expect(text).not.toMatch(/\b(Result|Read|Plan|Drift|Welcome|licenses to create)\b/);
  });

  it('words what was applied and the verification in Portuguese', () => {
    setLanguage('pt-BR');
    const applied = [done(createUser('ana')), done(createLicense('D1')), failed(blockLicense('D2'))];
    const text = renderTextReport(aRunResult({ outcome: 'failed', exitCode: 1, applied, verified: { inSync: false, relisted: true, remaining: [blockLicense('D2')] } }));
    expect(text.split('\n')[0]).toBe('Resultado: FORA de sincronia: 1 de 3 gravações falharam; a verificação encontrou 1 operação ainda necessária.');
    expect(sectionOf(text, 'Aplicado:')).toEqual([
      'Aplicado: 2 de 3 operações feitas, 1 com falha.',
      '  feito: 1 revendedor criado, 1 licença criada',
      '  falhou: não foi possível bloquear 1 licença',
    ]);
    expect(sectionOf(text, 'A verificação')[0]).toBe('A verificação encontrou 1 operação ainda necessária:');
  });

  it('words the status of each operation with a note in Portuguese', () => {
    setLanguage('pt-BR');
    const applied = [done(createLicense('D1'), 'bloqueada logo após a criação'), failed(blockLicense('D2'), 'HTTP 500')];
    const section = sectionOf(renderTextReport(aRunResult({ applied })), 'Aplicado:');
    expect(section.slice(section.indexOf('  observações:') + 1)).toEqual([
      '    licença D1 (concluída): bloqueada logo após a criação',
      '    licença D2 (falhou): HTTP 500',
    ]);
  });

  it('says "0 licenças" (plural) for an empty server, as Brazilians write it', () => {
    setLanguage('pt-BR');
    const text = renderTextReport(aRunResult({ servers: [aServer('primary'), aServer('backup', { users: 0, licenses: 0 })] }));
    expect(sectionOf(text, 'Leitura:')[2]).toContain(': 0 revendedores, 0 licenças, 0 ilegíveis;');
  });

  it('lists the unreadable records of a hostile listing in Portuguese, reasons included', () => {
    setLanguage('pt-BR');
    const { rejected } = buildSnapshot([aUserRow({ username: 'bob', role: 'root' })], [aLicenseRow({ device_id: 'B-9', end_date: '15/06/2025' }), { id: 'x' }]);
    const read = sectionOf(renderTextReport(aRunResult({ servers: [aServer('primary'), aServer('backup', { rejected })] })), 'Leitura:');
    expect(read.slice(3)).toEqual([
      '    revendedor bob: role: Opção inválida: esperado um de "admin"|"user"',
      '    licença B-9: end_date: não é uma data AAAA-MM-DD',
      '    licença #1: id: Valor inválido: esperado number, recebido string; device_id: Valor inválido: esperado string, recebido undefined; owner_name: Valor inválido: esperado string, recebido undefined',
    ]);
  });
});
