import { describe, expect, it } from 'vitest';
import { license } from './support/in-memory-server.js';
import { TODAY, useHarness } from './support/run-harness.js';

const harness = useHarness(2);
const TWO_WAY = { mode: 'two-way' } as const;

// A round trip's log lines name the step they are about: `backup → primary`
// for a backup's gathering step, `primary → backup` for its spreading step.
describe('two-way log lines', () => {
  it('name the gathering step where --force overrides a guard on the primary (the spreading step trusts it), and each step in its plan line', async () => {
    const h = harness();
    h.primary.withLicenses(license('D1', TODAY));
    h.backups[0]?.withLicenses(...['D1', 'D2', 'D3', 'D4'].map((id) => license(id, TODAY)));
    const result = await h.sync({ config: TWO_WAY, force: true });
    expect(result.exitCode).toBe(0);
    const forced = 'going on although the primary lists 1 license (GET /admin/devices) but the backup has 4, below the 50% minimum (--min-primary-ratio): the listing may be partial';
    expect(h.lines('warn').filter((line) => line.includes('--force'))).toEqual([`backup → primary: --force: ${forced}`]);
    expect(h.lines('info').filter((line) => line.includes(': plan: '))).toEqual([
      'backup → primary: plan: 0 operations on the primary (0 conflicts)',
      'backup-2 → primary: plan: 0 operations on the primary (0 conflicts)',
      'primary → backup: plan: 3 operations',
      'primary → backup-2: plan: 1 operation',
    ]);
  });

  it('name the step a guard refuses', async () => {
    const h = harness();
    h.primary.withLicenses(license('D1', TODAY));
    h.backups[1]?.withLicenses(...['D1', 'D2', 'D3', 'D4'].map((id) => license(id, TODAY)));
    const result = await h.sync({ config: TWO_WAY });
    expect(result.exitCode).toBe(4);
    expect(h.lines('error')).toEqual([
      'backup-2 → primary: refused (shrunken-primary): the primary lists 1 license (GET /admin/devices) but backup-2 has 4, below the 50% minimum (--min-primary-ratio): the listing may be partial',
    ]);
  });

  it('name the gathering step in conflict lines', async () => {
    const h = harness();
    const [backup] = h.backups;
    h.primary.withLicenses(license('D1', TODAY));
    expect((await h.sync()).exitCode).toBe(0);
    h.primary.edit('D1', { owner_name: 'Ana on the primary' });
    backup?.edit('D1', { owner_name: 'Ana on the backup' });
    const result = await h.sync({ config: TWO_WAY });
    expect(result.exitCode).toBe(0);
    expect(h.lines('warn').filter((line) => line.includes('conflict on license D1'))).toEqual([
      expect.stringMatching(/^backup → primary: conflict on license D1 \(both-edited\): .*; resolved: primary$/),
    ]);
  });
});
