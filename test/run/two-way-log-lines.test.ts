import { describe, expect, it } from 'vitest';
import { license } from './support/in-memory-server.js';
import { TODAY, useHarness } from './support/run-harness.js';

const harness = useHarness();
const TWO_WAY = { mode: 'two-way' } as const;

// A two-way run's log lines name the pair, as a one-way run's name the backup.
describe('two-way log lines', () => {
  it('name the pair when --force overrides a guard, and in the plan line', async () => {
    const h = harness();
    h.primary.withLicenses(...['D1', 'D2', 'D3', 'D4'].map((id) => license(id, TODAY)));
    h.backups[0]?.withLicenses(license('D1', TODAY));
    const result = await h.sync({ config: TWO_WAY, resync: true, force: true });
    expect(result.exitCode).toBe(0);
    expect(h.lines('warn')).toContain(
      'primary ⇄ backup: --force: going on although backup lists 1 licenses (GET /admin/devices) but primary has 4, below the 50% minimum (--min-primary-ratio): the listing may be partial',
    );
    expect(h.lines('info')).toContain('primary ⇄ backup: plan: 3 operations (0 conflicts)');
  });

  it('name the pair when a guard refuses', async () => {
    const h = harness();
    h.primary.withLicenses(...['D1', 'D2', 'D3', 'D4'].map((id) => license(id, TODAY)));
    h.backups[0]?.withLicenses(license('D1', TODAY));
    const result = await h.sync({ config: TWO_WAY, resync: true });
    expect(result.exitCode).toBe(4);
    expect(h.lines('error')).toContain(
      'primary ⇄ backup: refused (shrunken-side): backup lists 1 licenses (GET /admin/devices) but primary has 4, below the 50% minimum (--min-primary-ratio): the listing may be partial',
    );
  });

  it('name the pair in conflict lines', async () => {
    const h = harness();
    const [backup] = h.backups;
    h.primary.withLicenses(license('D1', TODAY));
    backup?.withLicenses(license('D1', TODAY));
    expect((await h.sync()).exitCode).toBe(0);
    h.primary.edit('D1', { owner_name: 'Ana on the primary' });
    backup?.edit('D1', { owner_name: 'Ana on the peer' });
    const result = await h.sync({ config: TWO_WAY });
    expect(result.exitCode).toBe(0);
    expect(h.lines('warn').filter((line) => line.includes('conflict on license D1'))).toEqual([
      expect.stringMatching(/^primary ⇄ backup: conflict on license D1 \(both-edited\): .*; resolved: primary$/),
    ]);
  });
});
