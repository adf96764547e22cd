import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import os from 'node:os';
import { formatTime, setLanguage } from '../../src/i18n/i18n.js';
import { acquireRunLock } from '../../src/state/run-lock.js';
import { StateStore } from '../../src/state/state-store.js';
import { gatherStrategy } from '../../src/run/gather-step.js';
import { logRefusals } from '../../src/run/guard-lines.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { StateDirectoryError } from '../../src/run/state-directory-error.js';
import { recordingLog } from '../notify/support/recording-log.js';
import { answerAlways, startReceiver, type Receiver } from '../notify/support/receiver.js';
import { license, user, type InMemoryServer } from './support/in-memory-server.js';
import { TODAY, useHarness, type Harness } from './support/run-harness.js';

// The run's own log lines in Brazilian Portuguese: a sync that fails, then
// recovers, with its alerts, logs no English sentence.

/** English function words and the run's English terms, none of which is a Portuguese word. */
const ENGLISH = /\b(the|was|were|is|are|could|not|and|of|to|with|still|needs|from|on|by|it|has|been|after|before|logged|read|plan|attempts?|unexpected|operations?|licenses?|users?|verification|notification|sent)\b/i;

/**
 * The lines (without their level) that read as English. Debug lines are left
 * out: they quote each operation's reason as the report words it (its own catalog).
 */
const englishLines = (lines: readonly string[]): string[] =>
  lines.filter((line) => !line.startsWith('debug ')).map((line) => line.replace(/^\w+ /, '')).filter((line) => ENGLISH.test(line));

const harness = useHarness();
let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver(answerAlways(204));
});

afterEach(async () => {
  setLanguage('en');
  await receiver.close();
});

/** A primary with three licenses and a user; a backup that fails the upsert of D2 (HTTP 500) until told otherwise. */
function failingBackup(h: Harness): InMemoryServer {
  h.primary.withLicenses(license('D1', TODAY), license('D2', TODAY), license('D3', TODAY)).withUsers(user('ana'));
  const backup = h.backups[0] as InMemoryServer;
  backup.failWrite({ call: 'upsert', key: 'D2', status: 500, reason: 'HTTP 500' });
  return backup;
}

/** A failing run, then one that recovers, both alerting a webhook; every log line of both. */
async function failThenRecover(h: Harness): Promise<{ failed: string[]; recovered: string[] }> {
  const backup = failingBackup(h);
  const config = { notify: { webhookUrl: `${receiver.url}/hook`, format: 'generic' as const, on: ['failure' as const, 'recovery' as const], pingUrl: null } };
  const first = await h.sync({ config });
  expect(first.outcome).toBe('failed');
  const failed = [...h.log.lines];
  backup.failingWrites.length = 0;
  const second = await h.sync({ config });
  expect(second.outcome).toBe('in-sync');
  return { failed, recovered: [...h.log.lines] };
}

describe('the run in Brazilian Portuguese', () => {
  it('logs a failing, then recovering sync with no English sentence', async () => {
    setLanguage('pt-BR');
    const { failed, recovered } = await failThenRecover(harness());
    expect(failed).toEqual(
      expect.arrayContaining([
        'info primary: conectado como sync (papel admin)',
        'info leitura de primary: 1 revendedor, 3 licenças',
        'info leitura de backup: 0 revendedores, 0 licenças',
        'info backup: plano: 4 operações',
        'info Notificação de falha enviada.',
      ]),
    );
    expect(failed.some((line) => line.startsWith('error backup POST /admin/devices/create [D2]: HTTP 500'))).toBe(true);
    expect(recovered).toEqual(expect.arrayContaining(['info backup: plano: 1 operação', 'info Notificação de recuperação enviada.']));
    expect(englishLines([...failed, ...recovered])).toEqual([]);
  });

  it('the detector does flag the same run in English', async () => {
    const { failed, recovered } = await failThenRecover(harness());
    expect(englishLines(failed)).toEqual(expect.arrayContaining(['primary: logged in as sync (role admin)', 'backup: plan: 4 operations', 'Sent the failure notification.']));
    expect(englishLines(recovered)).toContain('Sent the recovery notification.');
  });

  it('words a refusal in Portuguese around the guard\'s own message', () => {
    setLanguage('pt-BR');
    const log = recordingLog();
    logRefusals(log, 'backup', [{ guard: 'unreadable-listing', facts: { server: 'primary' } }]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(/^error backup: recusado \(unreadable-listing\): /);
  });

  it('says in Portuguese that the state directory cannot be used', () => {
    setLanguage('pt-BR');
    expect(new StateDirectoryError('/var/lib/sync-dbs', new Error('EACCES')).message).toBe('não é possível usar o diretório de estado /var/lib/sync-dbs: EACCES');
  });

  it('says in Portuguese that another run holds the lock, with the holder\'s start in local time', async () => {
    setLanguage('pt-BR');
    const h = harness();
    const startedAt = new Date('2025-06-01T09:00:00.000Z');
    const store = StateStore.open(h.stateDir);
    try {
      // This very process, on this host: alive, so the lock is not taken over.
      const held = acquireRunLock(store.database, { pid: process.pid, hostname: os.hostname(), command: 'sync', startedAt });
      expect(held.acquired).toBe(true);
      await expect(h.sync()).rejects.toThrow('locked');
    } finally {
      store.close();
    }
    expect(h.lines('error')).toEqual([
      `outra execução do sync-dbs detém a trava de ${h.stateDir}: pid ${process.pid} em ${os.hostname()}, iniciada em ${formatTime(startedAt)}; esta execução não fez nada`,
    ]);
  });

  it('sizes the round trip\'s gathering plan and verification in Portuguese, each count in its plural form', () => {
    setLanguage('pt-BR');
    const gather = gatherStrategy(false, null);
    const plan = (operations: number, conflicts: number) => ({ operations: Array(operations).fill(null), conflicts: Array(conflicts).fill(null), skipped: [], drift: [] }) as unknown as Plan;
    expect(gather.planSummary(plan(1, 0))).toBe('1 operação no primário (0 conflitos)');
    expect(gather.planSummary(plan(1234, 1))).toBe('1.234 operações no primário (1 conflito)');
    expect(gather.remainingSummary(2)).toBe('verificação: ainda faltam 2 operações no primário');
  });
});
