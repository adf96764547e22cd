import { t } from '../i18n/i18n.js';

const MAX_NAME_IN_REASON = 40;

/** A name from an answer, quoted and shortened for a message. */
export function quotedName(name: string): string {
  return JSON.stringify(name.length > MAX_NAME_IN_REASON ? `${name.slice(0, MAX_NAME_IN_REASON)}...` : name);
}

/** `twice`, `3 times`. */
export function timesText(count: number): string {
  return count === 2 ? t('snapshot:times.twice') : t('snapshot:times.many', { count });
}

/** A field name that appears more than once in one listed record. */
export interface RepeatedField {
  /** The name, or its path within the record (`a.b`) when it repeats inside a nested object. */
  readonly name: string;
  readonly count: number;
}

/**
 * A listed record in which a field appears more than once. JSON.parse keeps the
 * last copy silently, so `value` may not say what the server meant: the record
 * is rejected (read-record.ts), keyed only when its key field is not repeated.
 */
export class RecordWithRepeatedFields {
  constructor(
    readonly value: unknown,
    readonly repeated: readonly RepeatedField[],
  ) {}
}
