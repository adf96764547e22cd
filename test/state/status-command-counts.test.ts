import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STATUS_UNFINISHED_LISTED, StateStore } from '../../src/state/state-store.js';
import { runCli } from '../support/cli-process.js';
import { makeTempStateDir, type TempStateDir } from './support/temp-state-dir.js';

// `sync-dbs status` as a real process over a state database holding a failed
// run with 3,000 operations not done.

let temp: TempStateDir;
beforeEach(async () => {
  temp = await makeTempStateDir();
  const store = StateStore.open(temp.stateDir);
  const startedAt = new Date(Date.now() - 5 * 60_000);
  const id = store.startRun({ command: 'sync', startedAt, pid: 1, hostname: 'host-a' });
  const operations = Array.from({ length: 3_000 }, (_, index) => ({ server: 'backup', kind: 'create-license', key: `license:d${index}` }));
  store.journalPlanned(id, operations, startedAt);
  const endedAt = new Date(startedAt.getTime() + 60_000);
  store.finishRun(id, { outcome: 'failed', exitCode: 1, endedAt, durationMs: 60_000, verdict: 'failed', servers: [], reportText: null, reportJson: null });
  store.close();
});
afterEach(() => temp.remove());

describe('sync-dbs status with thousands of unfinished operations', () => {
  it('counts them all and shows the first 10 in text, and gives the full count in JSON', async () => {
    const text = await runCli(['status', '--state-dir', temp.stateDir], { cwd: temp.root });
    expect(text.stdout).toContain('  operations of run #1 not done (3,000):\n');
    expect(text.stdout).toContain('    create-license license:d9: not sent\n');
    expect(text.stdout).not.toContain('license:d10:');
    expect(text.stdout).toContain('    … and 2,990 more\n');

    const json = await runCli(['status', '--json', '--state-dir', temp.stateDir], { cwd: temp.root });
    const status = JSON.parse(json.stdout) as { unfinishedCount: number; unfinished: unknown[] };
    expect(status.unfinishedCount).toBe(3_000);
    expect(status.unfinished).toHaveLength(STATUS_UNFINISHED_LISTED);
  });

  it('says so in Portuguese', async () => {
    const text = await runCli(['status', '--state-dir', temp.stateDir], { cwd: temp.root, env: { SYNC_DBS_LANG: 'pt-BR' } });
    expect(text.stdout).toContain('  operações da execução #1 não concluídas (3.000):\n');
    expect(text.stdout).toContain('    … e mais 2.990\n');
    expect(text.stdout).toMatch(/^estado do sync-dbs: FALHANDO\n/);
  });
});
