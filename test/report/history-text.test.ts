import { describe, expect, it } from 'vitest';
import { renderHistoryText } from '../../src/report/history-text.js';
import { aRun } from './support/run-history-builders.js';

describe('renderHistoryText', () => {
  it('says so when there are no runs', () => {
    expect(renderHistoryText([])).toBe('No runs recorded yet.\n');
  });

  it('aligns one row per run under a header, dashes for what an interrupted run never recorded', () => {
    const text = renderHistoryText([
      aRun(12, { outcome: 'interrupted', verdict: 'interrupted: 3 done', operations: { planned: 10, done: 3, failed: 0, notSent: 7 } }),
      aRun(11, { outcome: 'failed', verdict: 'NOT in sync.', operations: { planned: 4, done: 2, failed: 2, notSent: 0 } }),
    ]);
    expect(text.split('\n')).toEqual([
      'run  started (UTC)         outcome      exit  took  done  failed  not sent  verdict',
      '#12  2025-06-01 12:00:00Z  interrupted  -     -     3     0       7         interrupted: 3 done',
      '#11  2025-06-01 11:00:00Z  failed       1     3 s   2     2       0         NOT in sync.',
      '',
    ]);
  });
});
