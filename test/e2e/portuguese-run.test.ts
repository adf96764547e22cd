import { describe, expect, it } from 'vitest';
import type { CliRun } from '../support/cli-process.js';
import { englishLines } from '../support/english-lines.js';
import { useServerGroup } from '../support/server-group.js';
import { allowedLicense, datasetOf, daysFromToday } from '../support/sync-pair.js';
import { deviceIds, seedForFailures } from './support/e2e-helpers.js';

// Issue 16's acceptance test for Brazilian Portuguese: a whole failing, then
// recovering, sync in pt-BR, as the operator reads it (text reports, the log
// at its default level, status and history), holds no English sentence.

const group = useServerGroup({ backups: 2, names: ['render', 'koyeb'] });

/** The language as an operator would set it in the scheduled job's environment. */
const PORTUGUESE = { SYNC_DBS_LANG: 'pt-BR' } as const;

/** Names that stay as they are inside Portuguese text. */
const NAMES = ['primary', 'backup', 'render', 'koyeb', 'admin', 'revenda-a', 'revenda-b'];

function primaryData() {
  return datasetOf({
    users: [
      { username: 'revenda-a', password: 'revenda-a-senha', role: 'user', email: 'contato@revenda-a.com.br' },
      { username: 'revenda-b', password: 'revenda-b-senha', role: 'user', email: 'contato@revenda-b.com.br' },
    ],
    licenses: [
      allowedLicense('L-001', { owner_name: 'Padaria Estrela Ltda', created_by: 'revenda-a' }),
      allowedLicense('L-002', { owner_name: 'Mercado Boa Vista' }),
      allowedLicense('L-003', { owner_name: 'Farmácia Central', status: 'blocked' }),
      allowedLicense('L-004', { owner_name: 'Ótica Recife', end_date: daysFromToday(-2) }),
      allowedLicense('L-005', { owner_name: 'Livraria Sol' }),
      allowedLicense('L-006', { owner_name: 'Auto Peças Norte', features: 'core,nfe' }),
    ],
  });
}

/** Behind the primary in every way a run writes: a reseller and a license missing, content changed, a block and an activation due, drift, a backup-only license. */
function staleBackup() {
  return datasetOf({
    users: [{ username: 'revenda-a', password: 'revenda-a-senha', role: 'user', email: 'contato@revenda-a.com.br' }],
    licenses: [
      allowedLicense('L-001', { owner_name: 'Padaria Estrela', created_by: 'revenda-a' }),
      allowedLicense('L-003', { owner_name: 'Farmácia Central' }),
      allowedLicense('L-004', { owner_name: 'Ótica Recife' }),
      allowedLicense('L-005', { owner_name: 'Livraria Sol', status: 'blocked' }),
      allowedLicense('L-006', { owner_name: 'Auto Peças Norte', features: 'core' }),
      allowedLicense('B-900', { owner_name: 'Só no backup' }),
    ],
  });
}

/** Each English line, prefixed with the output it came from and followed by the English words found. */
function englishIn(outputs: Readonly<Record<string, string>>): string[] {
  return Object.entries(outputs).flatMap(([where, text]) =>
    englishLines(text, { names: NAMES }).map(({ line, words }) => `${where}: ${line.trim()}    [${words.join(', ')}]`),
  );
}

function outputsOf(name: string, run: CliRun): Record<string, string> {
  return { [`${name} stdout`]: run.stdout, [`${name} stderr`]: run.stderr };
}

describe('a whole run in Brazilian Portuguese', () => {
  it('a failing, then recovering, sync with its status and history prints no English sentence', async () => {
    const g = group();
    const [render, koyeb] = g.backups;
    if (render === undefined || koyeb === undefined) throw new Error('two backups expected');
    await g.load(primaryData(), staleBackup(), staleBackup());

    // Run 1: render lets the login through, then answers every write with HTTP 500; koyeb is down.
    // (Login is a POST: "rate 1, scope writes" would refuse it; 7 writes x 2 attempts follow it.)
    const seed = seedForFailures(0.95, ['pass', ...Array<'fail'>(14).fill('fail')]);
    await render.control.setFaults({ seed, failures: { rate: 0.95, kinds: ['500'], scope: 'writes', afterHandlerShare: 0 } });
    await koyeb.stop();
    const failing = await g.cli(['sync', '--concurrency', '1'], { env: { ...PORTUGUESE, SYNC_DBS_RETRIES: '2', SYNC_DBS_WAKE_TIMEOUT: '0' } });
    expect(failing.exitCode, failing.stderr).not.toBe(0);
    expect(failing.exitCode, failing.stderr).not.toBe(2);
    expect(await deviceIds(render)).not.toContain('L-002');

    // Run 2: both backups healthy again.
    await render.control.setFaults({});
    await koyeb.start();
    const recovering = await g.cli(['sync'], { env: PORTUGUESE });
    expect(recovering.exitCode, recovering.stderr).toBe(0);
    expect(await deviceIds(render)).toContain('L-002');
    expect(await deviceIds(koyeb)).toContain('L-002');

    const status = await g.cli(['status'], { env: PORTUGUESE });
    expect(status.exitCode, status.stderr).toBe(0);
    const history = await g.cli(['history'], { env: PORTUGUESE });
    expect(history.exitCode, history.stderr).toBe(0);

    const outputs = {
      ...outputsOf('sync (failing)', failing),
      ...outputsOf('sync (recovering)', recovering),
      ...outputsOf('status', status),
      ...outputsOf('history', history),
    };
    // The runs did print (an empty output holds no English either).
    for (const name of ['sync (failing) stdout', 'sync (recovering) stdout', 'status stdout', 'history stdout'] as const) {
      expect((outputs[name] ?? '').trim(), name).not.toBe('');
    }
    const english = englishIn(outputs);
    expect(english.length, `English lines in the pt-BR run:\n${english.join('\n')}\n`).toBe(0);
  });
});
