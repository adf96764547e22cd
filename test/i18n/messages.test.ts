import { afterEach, describe, expect, it } from 'vitest';
import { currentLanguage, formatNumber, setLanguage, t } from '../../src/i18n/i18n.js';
import { formatLocalTime, utcOffset } from '../../src/i18n/local-time.js';

afterEach(() => setLanguage('en'));

describe('t()', () => {
  it('writes English by default, with the plural form and the number written the English way', () => {
    expect(currentLanguage()).toBe('en');
    expect(t('common:count.licenses', { count: 1 })).toBe('1 license');
    expect(t('common:count.licenses', { count: 12345 })).toBe('12,345 licenses');
  });

  it('writes Brazilian Portuguese after setLanguage, numbers with a dot for thousands', () => {
    setLanguage('pt-BR');
    expect(t('common:count.licenses', { count: 1 })).toBe('1 licença');
    expect(t('common:count.licenses', { count: 12345 })).toBe('12.345 licenças');
    expect(formatNumber(1234.5)).toBe('1.234,5');
  });

  it('gives pt-BR its plural form for millions from the other form', () => {
    setLanguage('pt-BR');
    expect(t('common:count.licenses', { count: 1_000_000 })).toBe('1.000.000 licenças');
  });
});

describe('local times', () => {
  const moment = new Date('2026-12-04T13:05:09Z');

  it('states the offset from UTC of the moment', () => {
    expect(utcOffset(moment)).toMatch(/^UTC([+-]\d{2}:\d{2})?$/);
    const minutes = -moment.getTimezoneOffset();
    if (minutes === 0) expect(utcOffset(moment)).toBe('UTC');
  });

  it('writes the date the language\'s way and ends with the offset', () => {
    const pt = formatLocalTime(moment, 'pt-BR');
    expect(pt.endsWith(utcOffset(moment))).toBe(true);
    expect(pt).toMatch(/^\d{2}\/\d{2}\/\d{4}/);
    expect(formatLocalTime(moment, 'en')).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} UTC/);
  });
});

describe('log-line times', () => {
  it('are ISO 8601 in the machine\'s time zone with its offset, Z where there is none', async () => {
    const { localIsoTime } = await import('../../src/i18n/local-time.js');
    const moment = new Date('2026-12-04T13:05:09.120Z');
    const text = localIsoTime(moment);
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/);
    expect(new Date(text).getTime()).toBe(moment.getTime());
  });
});
