import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/emulator/dataset/generator.js';
import { freshDataset } from '../support/license-api-helpers.js';
import { TODAY, useSyncPair } from '../support/sync-pair.js';
import type { JsonReport } from './support/e2e-helpers.js';

// The report an operator reads every hour: after a first sync of 1,000
// licenses into an empty backup, the next (no-op) run prints a short report
// (at most 25 lines, no line per record), because the differences the sync
// itself leaves (dates the API re-sets, its defaults, telemetry) are counted
// apart from drift. And the first sync is announced by `plan` with how many
// welcome e-mails the backup may send.

const LICENSES = 1_000;
const MAX_LINES = 25;

describe.each(['two-way', 'one-way'] as const)('the hourly report (--mode %s)', (mode) => {
  const pair = useSyncPair({ env: { SYNC_DBS_MODE: mode } });

  it('is at most 25 lines on the no-op run after a first sync, with no line per record', async () => {
    const p = pair();
    const primary = generateDataset({ seed: 16, licenses: LICENSES, today: TODAY });
    await p.load(primary, freshDataset());
    const deviceIds = primary.devices.map((device) => device.device_id);
    const withEmail = primary.devices.filter((device) => (device.email ?? '').trim() !== '').length;
    expect(withEmail).toBeGreaterThan(LICENSES / 2);

    const plan = await p.cli(['plan']);
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`Welcome e-mails: backup may send up to ${withEmail.toLocaleString('en-US')} welcome e-mails to customers`);
    expect((await p.backup.control.stats()).emailsSent).toBe(0);

    const first = await p.cli([]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Welcome e-mails: backup may have sent up to ${withEmail.toLocaleString('en-US')} welcome e-mails to customers`);

    const second = await p.cli([]);
    expect(second.exitCode, second.stderr).toBe(0);
    const lines = second.stdout.trimEnd().split('\n');
    expect(lines.length, second.stdout).toBeLessThanOrEqual(MAX_LINES);
    expect(lines[0]).toBe('Result: In sync: nothing to do.');
    const perRecord = lines.filter((line) => deviceIds.some((id) => line.includes(id)));
    expect(perRecord, second.stdout).toEqual([]);
    expect(second.stdout).not.toContain('Drift the API cannot repair');
    expect(second.stdout).toMatch(/^Not drift: [\d,]+ differences the sync itself leaves \(.*license-dates.*\); see docs\/expected-differences\.md$/m);
    expect(second.stdout).not.toContain('Welcome e-mails');

    // The JSON keeps them all, apart from drift.
    const json = (await p.cli(['--json'])).json<JsonReport>();
    expect(json.drift.total).toBe(0);
    expect(json.expectedDifferences.total).toBeGreaterThan(LICENSES / 2);
    expect(json.expectedDifferences.byKind['license-dates']?.examples.length).toBe(5);
    expect(json.welcomeEmails.planned.total).toBe(0);

    // --verbose gives examples of each kind.
    const verbose = await p.cli(['--verbose']);
    expect(verbose.exitCode, verbose.stderr).toBe(0);
    expect(verbose.stdout.split('\n').filter((line) => deviceIds.some((id) => line.includes(id))).length).toBeGreaterThan(0);

    // And the same report in Brazilian Portuguese.
    const portuguese = await p.cli([], { env: { SYNC_DBS_LANG: 'pt-BR' } });
    expect(portuguese.exitCode, portuguese.stderr).toBe(0);
    const ptLines = portuguese.stdout.trimEnd().split('\n');
    expect(ptLines.length, portuguese.stdout).toBeLessThanOrEqual(MAX_LINES);
    expect(ptLines[0]).toBe('Resultado: Em sincronia: nada a fazer.');
    expect(portuguese.stdout).toContain('Não são divergências:');
    expect(portuguese.stdout).toContain('Nada gravado; a listagem já batia.');
    expect(portuguese.stdout).toMatch(/100 revendedores, 1\.000 licenças/);
  }, 120_000);
});
