import { t } from '../i18n/i18n.js';
import cronParser from 'cron-parser';
import { describeValue, fail, ok, type Parsed } from './setting-values.js';

/** A cron expression of 5 fields (or 6, seconds first), as node-schedule reads it. */
export function parseCronSchedule(value: unknown): Parsed<string> {
  const expected = t('config:cron', { value: describeValue(value) });
  if (typeof value !== 'string') return fail(expected);
  const text = value.trim().replace(/\s+/g, ' ');
  const fields = text.split(' ').length;
  if (fields < 5 || fields > 6) return fail(expected);
  try {
    cronParser.parseExpression(text);
  } catch {
    return fail(expected);
  }
  return ok(text);
}
