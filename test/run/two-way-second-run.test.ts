import { describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../src/config/sync-config.js';
import { runVerdict } from '../../src/report/verdict.js';
import { license, user, type InMemoryServer } from './support/in-memory-server.js';
import { TODAY, useHarness, type Harness } from './support/run-harness.js';

// Each kind of work the round trip carries, over two backups: the run's own
// verification passes (the spreading step re-plans the merge on what it
// listed after writing), and a second run right after plans nothing.

const harness = useHarness(2);
const ids = (count: number) => Array.from({ length: count }, (_, index) => `D${index + 1}`);

type Work = (primary: InMemoryServer, first: InMemoryServer, second: InMemoryServer) => void;

const WORK: readonly (readonly [string, Work, Partial<SyncConfig>])[] = [
  ['a deletion on the primary, held on the backups', (primary) => primary.licenses.delete('D1'), {}],
  ['a deletion on the primary, carried out with --delete', (primary) => primary.licenses.delete('D1'), { delete: true, maxDelete: 5 }],
  ['a deletion on a backup, restored and kept pending', (_, first) => first.licenses.delete('D1'), {}],
  ['a deletion on a backup, carried out everywhere with --delete', (_, first) => first.licenses.delete('D1'), { delete: true, maxDelete: 5 }],
  [
    'the same field edited on all three, --conflict peer',
    (primary, first, second) => {
      primary.edit('D2', { owner_name: 'On the primary' });
      first.edit('D2', { owner_name: 'On backup' });
      second.edit('D2', { owner_name: 'On backup-2' });
    },
    { conflict: 'peer' },
  ],
  [
    'the same field edited on two, --conflict none',
    (primary, first) => {
      primary.edit('D2', { owner_name: 'On the primary' });
      first.edit('D2', { owner_name: 'On backup' });
    },
    { conflict: 'none' },
  ],
  [
    'an edit on the primary, a block on a backup',
    (primary, first) => {
      primary.edit('D3', { owner_name: 'On the primary' });
      first.edit('D3', { status: 'blocked' });
    },
    {},
  ],
  [
    'a deletion on the primary, an edit on a backup',
    (primary, first) => {
      primary.licenses.delete('D4');
      first.edit('D4', { owner_name: 'On backup' });
    },
    {},
  ],
  ['a backup reset (most of its licenses gone)', (_, first) => ids(10).forEach((id) => first.licenses.delete(id)), {}],
  [
    'sales and a new user on the backups',
    (_, first, second) => {
      first.withLicenses(license('SOLD-ON-1', TODAY)).withUsers(user('bob'));
      second.withLicenses(license('SOLD-ON-2', TODAY));
    },
    {},
  ],
];

async function inStep(h: Harness): Promise<void> {
  h.primary.withLicenses(...ids(12).map((id) => license(id, TODAY))).withUsers(user('ana'));
  const first = await h.sync();
  expect(first.exitCode, runVerdict(first)).toBe(0);
}

describe('a round trip, then a second one', () => {
  it.each(WORK)('%s: verified in step, and the second run plans nothing', async (_, work, config) => {
    const h = harness();
    await inStep(h);
    work(h.primary, h.backups[0] as InMemoryServer, h.backups[1] as InMemoryServer);
    const run = await h.sync({ config: { mode: 'two-way', ...config } });
    expect(run.exitCode, runVerdict(run)).toBe(0);
    expect(run.targets.map((target) => [target.outcome, target.baseRecorded, target.verified?.inSync])).toEqual([
      ['in-sync', true, true],
      ['in-sync', true, true],
    ]);
    const again = await h.sync({ config: { mode: 'two-way', ...config } });
    expect(again.exitCode, runVerdict(again)).toBe(0);
    expect(again.plan?.operations ?? []).toEqual([]);
  });
});
