import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import { durationText, progressText } from '../../src/progress/progress-text.js';

afterEach(() => setLanguage('en'));

const writing = { kind: 'writing', server: 'backup', counts: { done: 1_234, total: 5_000, failed: 3 }, perSecond: 85.4, leftMs: 44_100 } as const;
const waking = { kind: 'waking', server: 'render', elapsedMs: 35_900, limitMs: 120_000 } as const;

describe('progress text', () => {
  it('says done of total, the failures, the rate and the time left', () => {
    expect(progressText(writing)).toBe('backup: 1,234 of 5,000 operations, 3 failed, 85/s, about 45 s left');
  });

  it('leaves out failures while there are none, and the rate and time left while there is no rate', () => {
    expect(progressText({ ...writing, counts: { done: 0, total: 5_000, failed: 0 }, perSecond: null, leftMs: null })).toBe('backup: 0 of 5,000 operations');
  });

  it('says operation for a single one', () => {
    expect(progressText({ ...writing, counts: { done: 0, total: 1, failed: 0 }, perSecond: null, leftMs: null })).toBe('backup: 0 of 1 operation');
  });

  it('gives a slow rate a decimal', () => {
    expect(progressText({ ...writing, counts: { done: 10, total: 20, failed: 1 }, perSecond: 2.345, leftMs: 4_300 })).toBe('backup: 10 of 20 operations, 1 failed, 2.3/s, about 5 s left');
  });

  it('counts the wake-up wait in whole seconds of the limit', () => {
    expect(progressText(waking)).toBe('waking render: 35 s of 120');
  });

  it('writes durations in seconds, minutes or hours, rounded up', () => {
    expect([durationText(200), durationText(59_000), durationText(61_000), durationText(3_599_001), durationText(7_500_000)]).toEqual([
      '1 s',
      '59 s',
      '1 min 1 s',
      '1 h 0 min',
      '2 h 5 min',
    ]);
  });

  it('sets off the failures and the wake-up wait with the given style', () => {
    const style = { failed: (text: string) => `<${text}>`, waking: (text: string) => `[${text}]` };
    expect(progressText(writing, style)).toContain('<3 failed>');
    expect(progressText(waking, style)).toBe('[waking render: 35 s of 120]');
  });

  it('speaks Brazilian Portuguese, numbers included', () => {
    setLanguage('pt-BR');
    expect(progressText(writing)).toBe('backup: 1.234 de 5.000 operações, 3 com falha, 85/s, faltam cerca de 45 s');
    expect(progressText({ ...writing, perSecond: 2.5, leftMs: 125_000 })).toBe('backup: 1.234 de 5.000 operações, 3 com falha, 2,5/s, faltam cerca de 2 min 5 s');
    expect(progressText(waking)).toBe('acordando render: 35 s de 120');
    expect(progressText({ ...writing, counts: { done: 1, total: 1, failed: 0 }, perSecond: null, leftMs: null })).toBe('backup: 1 de 1 operação');
  });
});
