import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import { renderHistoryText } from '../../src/report/history-text.js';
import { aRun } from './support/run-history-builders.js';

// Times are the machine's local time with its offset: pinned here to São Paulo's.
const machineTimeZone = process.env.TZ;
beforeEach(() => {
  process.env.TZ = 'America/Sao_Paulo';
});
afterEach(() => {
  setLanguage('en');
  if (machineTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineTimeZone;
});

/** Some ICU versions put a narrow no-break space before AM/PM. */
function plainSpaces(text: string): string {
  return text.replace(/\u202f/g, ' ');
}

const RUNS = [
  aRun(12, { outcome: 'interrupted', verdict: 'interrupted: 3 done', operations: { planned: 10, done: 3, failed: 0, notSent: 7 } }),
  aRun(11, { outcome: 'failed', verdict: 'NOT in sync.', operations: { planned: 4, done: 2, failed: 2, notSent: 0 } }),
  aRun(10, { operations: { planned: 12345, done: 12345, failed: 0, notSent: 0 }, verdict: '' }),
];

describe('renderHistoryText', () => {
  it('says so when there are no runs', () => {
    expect(renderHistoryText([])).toBe('No runs recorded yet.\n');
  });

  it('aligns one row per run under a header, local times with their offset, dashes for what an interrupted run never recorded', () => {
    expect(plainSpaces(renderHistoryText(RUNS)).split('\n')).toEqual([
      'run  started                        outcome      exit  took  done    failed  not sent  verdict',
      '#12  06/01/2025 09:00:00 UTC-03:00  interrupted  -     -     3       0       7         interrupted: 3 done',
      '#11  06/01/2025 08:00:00 UTC-03:00  failed       1     3 s   2       2       0         NOT in sync.',
      '#10  06/01/2025 07:00:00 UTC-03:00  in-sync      0     3 s   12,345  0       0',
      '',
    ]);
  });
});

describe('renderHistoryText in Brazilian Portuguese', () => {
  beforeEach(() => setLanguage('pt-BR'));

  it('says so when there are no runs', () => {
    expect(renderHistoryText([])).toBe('Nenhuma execução registrada ainda.\n');
  });

  it('writes the header, the outcomes, the dates and the numbers the Brazilian way; the verdicts stay as recorded', () => {
    expect(renderHistoryText(RUNS).split('\n')).toEqual([
      'execução  início                         resultado     saída  duração  feitas  com falha  não enviadas  veredito',
      '#12       01/06/2025 09:00:00 UTC-03:00  interrompida  -      -        3       0          7             interrupted: 3 done',
      '#11       01/06/2025 08:00:00 UTC-03:00  falhou        1      3 s      2       2          0             NOT in sync.',
      '#10       01/06/2025 07:00:00 UTC-03:00  em sincronia  0      3 s      12.345  0          0',
      '',
    ]);
  });
});
