// The reasons a listed record is unreadable reach the run's warnings and the
// report: they are worded in the operator's language, and in English they stay
// Zod's own wording for a record that does not match its schema.
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import { buildSnapshot } from '../../src/snapshot/build-snapshot.js';
import { licenseRowSchema, userRowSchema } from '../../src/snapshot/record-schemas.js';
import { RecordWithRepeatedFields } from '../../src/snapshot/repeated-fields.js';
import { aLicenseRow, aUserRow } from '../plan/support/records.js';

const WRONG_VALUES: readonly unknown[] = [true, { value: 'x' }, ['x'], undefined, '60', 1.5, 7, null, Number.NaN, 'weird'];

/** Zod's own message for the first issue of `item`, with its English error map. */
function zodMessage(schema: typeof licenseRowSchema | typeof userRowSchema, item: unknown): string {
  const parsed = schema.safeParse(item);
  if (parsed.success) throw new Error('expected the record to be refused');
  const issue = parsed.error.issues[0];
  if (issue === undefined) throw new Error('expected an issue');
  return `${issue.path.join('.')}: ${issue.message}`;
}

afterEach(() => setLanguage('en'));

describe('unreadable-record reasons', () => {
  it('repeat Zod’s English wording for every field of the wrong type', () => {
    for (const [field, value] of Object.entries(aLicenseRow()).flatMap(([name]) => WRONG_VALUES.map((wrong) => [name, wrong] as const))) {
      const item = aLicenseRow({ [field]: value });
      if (licenseRowSchema.safeParse(item).success) continue;
      expect(buildSnapshot([], [item]).rejected[0]?.reason).toBe(zodMessage(licenseRowSchema, item));
    }
    for (const value of WRONG_VALUES) {
      const item = aUserRow({ role: value });
      expect(buildSnapshot([item], []).rejected[0]?.reason).toBe(zodMessage(userRowSchema, item));
    }
  });

  it('come out in Portuguese when the language is pt-BR', () => {
    setLanguage('pt-BR');
    const repeated = new RecordWithRepeatedFields(aLicenseRow({ device_id: 'C' }), [
      { name: 'status', count: 2 },
      { name: 'email', count: 3 },
    ]);
    const snapshot = buildSnapshot(
      [aUserRow({ role: 'root' }), aUserRow({ username: '   ' })],
      [
        aLicenseRow({ device_id: 'A', custom_interval: '60' }),
        aLicenseRow({ device_id: 'B', end_date: '15/06/2025' }),
        repeated,
        aLicenseRow({ device_id: '..' }),
        aLicenseRow({ device_id: 'D' }),
        aLicenseRow({ device_id: 'D' }),
        aLicenseRow({ device_id: 'x'.repeat(1001) }),
        aLicenseRow({ device_id: 'caixa-\uD800' }),
      ],
    );
    expect(snapshot.rejected.map((record) => record.reason)).toEqual([
      'role: Opção inválida: esperado um de "admin"|"user"',
      'username: está vazio',
      'custom_interval: Valor inválido: esperado number, recebido string',
      'end_date: não é uma data AAAA-MM-DD',
      'o campo "status" aparece duas vezes; o campo "email" aparece 3 vezes',
      'device_id "..": não pode ir no caminho de uma URL (segmento de ponto); deixado como está',
      'device_id aparece mais de uma vez na listagem',
      'device_id aparece mais de uma vez na listagem',
      'device_id: tem 1001 caracteres (no máximo 1000)',
      'device_id: não é Unicode bem formado (um surrogate isolado); não pode ser enviado a um servidor',
    ]);
  });
});
