import type { z } from 'zod';
import { t } from '../i18n/i18n.js';

type Issue = Parameters<z.core.$ZodErrorMap>[0];

/**
 * Zod's message for a listed record or an API answer that does not match its
 * schema, in the operator's language (the English catalog repeats Zod's own
 * wording). Pass it as the `error` of safeParse; the issues our schemas
 * cannot raise (undefined here) keep Zod's English message.
 */
export function issueText(issue: Issue): string | undefined {
  if (issue.code === 'invalid_type') return t('snapshot:issue.invalidType', { expected: issue.expected, received: typeName(issue.input) });
  if (issue.code === 'invalid_value') {
    const values = issue.values.map(literal);
    return values.length === 1 ? t('snapshot:issue.invalidValue', { value: values[0] }) : t('snapshot:issue.invalidOption', { values: values.join('|') });
  }
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.inclusive === true) {
    return t('snapshot:issue.textTooShort', { count: Number(issue.minimum) });
  }
  return undefined;
}

/** Zod's name for the type of a JSON value (`null`, `array`, `NaN`...). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
