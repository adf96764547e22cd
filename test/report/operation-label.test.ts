import { describe, expect, it } from 'vitest';
import { describeOperation, operationLine, subjectOf } from '../../src/report/operation-label.js';
import { activateLicense, blockLicense, createLicense, createUser, deleteLicense, reownLicense, updateLicense } from './support/run-result-builders.js';

describe('subjectOf', () => {
  it('names users by username and licenses by device_id, without the key prefix', () => {
    expect(subjectOf(createUser('alice'))).toBe('user alice');
    expect(subjectOf(createLicense('D1'))).toBe('license D1');
    expect(subjectOf(updateLicense('D2'))).toBe('license D2');
    expect(subjectOf(reownLicense('D3'))).toBe('license D3');
    expect(subjectOf(deleteLicense('D4'))).toBe('license D4');
  });

  it('keeps a hostile device_id on one line', () => {
    expect(subjectOf(blockLicense('D\n1'))).toBe('license D\\n1');
  });
});

describe('operationLine', () => {
  it.each([
    [createUser('alice'), '+ user alice: missing on the backup'],
    [createLicense('D1'), '+ license D1: missing on the backup'],
    [updateLicense('D1', 'content differs (email)'), '~ license D1: content differs (email)'],
    [reownLicense('D1', 'r1', 'owner admin on the backup, r1 on the primary'), '~ license D1: owner admin on the backup, r1 on the primary'],
    [blockLicense('D1', 'blocked on the primary, allowed on the backup'), '! license D1: blocked on the primary, allowed on the backup'],
    [activateLicense('D1', 'blocked on the backup, allowed by the primary'), '^ license D1: blocked on the backup, allowed by the primary'],
    [deleteLicense('D1'), '- license D1: exists only on the backup (--delete)'],
  ] as const)('%#: %s', (operation, line) => {
    expect(operationLine(operation)).toBe(line);
  });

  it('says when a created license is blocked right after', () => {
    expect(describeOperation(createLicense('D1', 'the primary denies it (expired)'))).toBe(
      'license D1: missing on the backup; then blocked: the primary denies it (expired)',
    );
  });
});
