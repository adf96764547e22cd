import { describe, expect, it } from 'vitest';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { runJson, seedForFailures } from './support/e2e-helpers.js';

// The CLI in Brazilian Portuguese (SYNC_DBS_LANG=pt-BR): the run's log lines
// and the executor's notes of a sync that fails, then recovers, come out in
// Portuguese, looked up once the language is chosen (not at import).

const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });
const PT = { env: { SYNC_DBS_LANG: 'pt-BR' } };

describe('a failing, then recovering sync in Brazilian Portuguese', () => {
  it('logs the run and the executor in Portuguese, not in English', async () => {
    const p = pair();
    const inSync = [allowedLicense('same-01'), allowedLicense('same-02', { status: 'blocked' })];
    await p.load(datasetOf({ licenses: [...inSync, allowedLicense('blk-01', { status: 'blocked' })] }), datasetOf({ licenses: inSync }));
    // Backup writes in order: login, upsert, block (x2 with --retries 2), delete. Only the blocks fail.
    const seed = seedForFailures(0.5, ['pass', 'pass', 'fail', 'fail', 'pass']);
    await p.backup.control.setFaults({ seed, failures: { rate: 0.5, kinds: ['503'], scope: 'writes', afterHandlerShare: 0 } });

    const failed = await runJson(p, ['--retries', '2', '--concurrency', '1'], PT);
    expect(failed.exitCode, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(/primary: conectado como \S+ \(papel admin\)/);
    expect(failed.stderr).toContain('leitura de primary: 0 revendedores, 3 licenças');
    expect(failed.stderr).toContain('backup: plano: 1 operação');
    expect(failed.stderr).toContain('backup: não foi possível bloquear a nova licença blk-01; excluindo-a de novo para que ela não deixe um cliente entrar');
    expect(failed.stderr).toMatch(/backup POST \/admin\/devices\/:device_id\/deactivate \[blk-01\]: criada, mas o bloqueio falhou \(.+\); a nova licença foi excluída de novo/);
    expect(failed.report.failures[0]?.reason).toMatch(/^criada, mas o bloqueio falhou/);
    for (const english of ['logged in as', 'read primary:', ': plan:', 'could not block new license', 'the new license was deleted again']) {
      expect(failed.stderr).not.toContain(english);
    }

    await p.backup.control.setFaults({});
    const recovered = await runJson(p, [], PT);
    expect(recovered.exitCode, recovered.stderr).toBe(0);
    expect(recovered.stderr).toContain('backup: plano: 1 operação');
    const note = recovered.report.applied.operations.find((operation) => operation.key === 'license:blk-01')?.note;
    expect(note).toMatch(/^bloqueada logo após a criação: /);
  });
});
