import { describe, expect, it } from 'vitest';
import { runVerdict } from '../../src/report/verdict.js';
import { license, type InMemoryServer } from './support/in-memory-server.js';
import { TODAY, useHarness } from './support/run-harness.js';

// A deletion made on a backup, without --delete: restored, warned about, and
// kept pending in the pair's base by every later run, whatever its mode, until
// a run with --delete carries it out everywhere.

const harness = useHarness(2);
const ROUND_TRIP = { mode: 'two-way' as const };

describe('a deletion made on a backup without --delete', () => {
  it('is restored with a warning, stays pending through later runs (a one-way one too), and a run with --delete carries it out everywhere', async () => {
    const h = harness();
    const [render, koyeb] = h.backups as [InMemoryServer, InMemoryServer];
    // Twenty licenses: losing one is a deletion, not a reset (beyond --max-shrink 10%).
    h.primary.withLicenses(...Array.from({ length: 19 }, (_, index) => license(`D${index + 1}`, TODAY)), license('GONE', TODAY));
    expect((await h.sync({ config: ROUND_TRIP })).exitCode).toBe(0);
    render.licenses.delete('GONE');

    const restored = await h.sync({ config: ROUND_TRIP });
    expect(restored.exitCode, runVerdict(restored)).toBe(0);
    expect(runVerdict(restored)).toContain('WARNING: 1 license deletion not carried out');
    expect(h.lines('warn')).toEqual([expect.stringMatching(/^primary → backup: license GONE: deleted on backup/)]);
    expect(render.licenses.has('GONE')).toBe(true);

    const quiet = await h.sync({ config: ROUND_TRIP });
    expect(quiet.plan?.operations).toEqual([]);
    expect(runVerdict(quiet)).toContain('WARNING: 1 license deletion not carried out');
    const oneWay = await h.sync({ config: { mode: 'one-way' } });
    expect(oneWay.exitCode, runVerdict(oneWay)).toBe(0);

    const carried = await h.sync({ config: { ...ROUND_TRIP, delete: true, maxDelete: 5 } });
    expect(carried.exitCode, runVerdict(carried)).toBe(0);
    expect([h.primary, render, koyeb].map((server) => server.licenses.has('GONE'))).toEqual([false, false, false]);
    const after = await h.sync({ config: ROUND_TRIP });
    expect(after.plan?.operations).toEqual([]);
    expect(runVerdict(after)).not.toContain('WARNING');
  });

  it('under --conflict peer with several backups, a deletion that wins over the primary\'s edit is restored and kept pending all the same', async () => {
    const h = harness();
    const [render, koyeb] = h.backups as [InMemoryServer, InMemoryServer];
    const config = { ...ROUND_TRIP, conflict: 'peer' as const };
    h.primary.withLicenses(...Array.from({ length: 19 }, (_, index) => license(`D${index + 1}`, TODAY)), license('GONE', TODAY));
    expect((await h.sync({ config })).exitCode).toBe(0);
    render.licenses.delete('GONE');
    h.primary.edit('GONE', { owner_name: 'Edited on the primary' });

    const restored = await h.sync({ config });
    expect(restored.exitCode, runVerdict(restored)).toBe(0);
    expect(restored.plan?.skipped.filter((item) => item.reason === 'deletion-pending').map((item) => item.key)).toContain('GONE');
    expect([h.primary, render, koyeb].map((server) => server.licenses.has('GONE'))).toEqual([true, true, true]);

    const carried = await h.sync({ config: { ...config, delete: true, maxDelete: 5 } });
    expect(carried.exitCode, runVerdict(carried)).toBe(0);
    expect([h.primary, render, koyeb].map((server) => server.licenses.has('GONE'))).toEqual([false, false, false]);
  });
});
