import { listingSchema } from '../snapshot/record-schemas.js';
import { RecordWithRepeatedFields, type RepeatedField } from '../snapshot/repeated-fields.js';
import { findDuplicateKeys, type DuplicateKey } from './duplicate-json-keys.js';
import { checkShape, parseAnswer, repeatedMemberError, type AnswerContext, type HttpAnswer } from './http-answer.js';

/**
 * The records of a listing answer `{"items": [...]}`. A member repeated in the
 * envelope makes the whole answer malformed; a field repeated inside a record
 * marks only that record (RecordWithRepeatedFields), which the snapshot rejects.
 */
export function readListing(answer: HttpAnswer, context: AnswerContext): unknown[] {
  const { items } = checkShape(answer, parseAnswer(answer, [200], context), listingSchema, context);
  const repeatedByRecord = new Map<number, RepeatedField[]>();
  for (const repeated of findDuplicateKeys(answer.body)) {
    const index = recordIndex(repeated);
    if (index === null) throw repeatedMemberError(answer, context, repeated);
    const fields = repeatedByRecord.get(index) ?? [];
    fields.push({ name: [...repeated.path.slice(2), repeated.key].join('.'), count: repeated.count });
    repeatedByRecord.set(index, fields);
  }
  if (repeatedByRecord.size === 0) return items;
  return items.map((item, index) => {
    const repeated = repeatedByRecord.get(index);
    return repeated === undefined ? item : new RecordWithRepeatedFields(item, repeated);
  });
}

/** The record a repeated member is in (`items[index]`, at any depth), or null when it is outside every record. */
function recordIndex({ path }: DuplicateKey): number | null {
  const [envelopeKey, index] = path;
  return envelopeKey === 'items' && typeof index === 'number' ? index : null;
}
