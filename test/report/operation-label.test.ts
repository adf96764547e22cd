import { describe, expect, it } from 'vitest';
import { describeOperation, directionOf, operationLine, subjectOf } from '../../src/report/operation-label.js';
import { ONE_WAY, twoWaySides } from '../../src/plan/reasons.js';
import { activateLicense, blockLicense, contentDiffers, createLicense, createUser, deleteLicense, mergedWrite, reownLicense, to, updateLicense } from './support/run-result-builders.js';

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

const TO_PRIMARY = twoWaySides('render', 'primary');
const CREATED_ON_PEER = mergedWrite({ code: 'created', side: 'render', held: null }, { code: 'missing', sides: TO_PRIMARY });
const BLOCKED_ON_PEER = mergedWrite(
  { code: 'edited', side: 'render', content: [], owner: null, held: 'blocked', opened: false, renewed: false },
  { code: 'denied-on-source', sides: TO_PRIMARY, source: 'deny:blocked', target: 'allow' },
);

describe('operationLine', () => {
  it.each([
    [createUser('alice'), '+ → backup user alice: missing on the backup'],
    [createLicense('D1'), '+ → backup license D1: missing on the backup'],
    [updateLicense('D1', contentDiffers('email')), '~ → backup license D1: content differs (email)'],
    [reownLicense('D1', 'r1', { code: 'owner-differs', sides: ONE_WAY, targetOwner: 'admin', sourceOwner: 'r1' }), '~ → backup license D1: owner admin on the backup, r1 on the primary'],
    [blockLicense('D1', { code: 'denied-on-source', sides: ONE_WAY, source: 'deny:blocked', target: 'allow' }), '! → backup license D1: blocked on the primary, allowed on the backup'],
    [activateLicense('D1', { code: 'denied-on-target', sides: ONE_WAY, target: 'deny:blocked' }), '^ → backup license D1: blocked on the backup, allowed by the primary'],
    [deleteLicense('D1'), '- → backup license D1: exists only on the backup (--delete)'],
  ] as const)('%#: %s', (operation, line) => {
    expect(operationLine(operation)).toBe(line);
  });

  it('puts the direction of a write on the primary (two-way) or on a named backup in the same place', () => {
    expect(operationLine(to('primary', createLicense('D1', null, CREATED_ON_PEER)))).toBe('+ ← primary license D1: created on render since the base; missing on primary');
    expect(operationLine(to('primary', blockLicense('D2', BLOCKED_ON_PEER)))).toBe(
      '! ← primary license D2: blocked on render since the base (a block always wins); blocked on render, allowed on primary',
    );
    expect(operationLine(to('render', createUser('bob')))).toBe('+ → render user bob: missing on the backup');
    expect(operationLine(to('koyeb', deleteLicense('D3')))).toBe('- → koyeb license D3: exists only on the backup (--delete)');
    expect(operationLine(to('render', createLicense('D4', 'deny:blocked')))).toBe(
      '+ → render license D4: missing on the backup; then blocked: the primary denies it (blocked)',
    );
  });

  it('says when a created license is blocked right after', () => {
    expect(describeOperation(createLicense('D1', 'deny:expired'))).toBe(
      'license D1: missing on the backup; then blocked: the primary denies it (expired)',
    );
  });
});

describe('directionOf', () => {
  it('points at the server written to: a backup by its name, the primary back from the peer', () => {
    expect(directionOf(createLicense('D1'))).toBe('→ backup');
    expect(directionOf(to('render', createLicense('D1')))).toBe('→ render');
    expect(directionOf(to('koyeb-2', blockLicense('D1')))).toBe('→ koyeb-2');
    expect(directionOf(to('primary', updateLicense('D1')))).toBe('← primary');
    expect(directionOf({ server: 'primary' })).toBe('← primary');
  });

  it('keeps a hostile server name on one line', () => {
    expect(directionOf({ server: 'evil\nResult: in sync.' })).toBe('→ evil\\nResult: in sync.');
  });

  it('does not take a backup whose name only contains "primary" for the primary', () => {
    expect(directionOf({ server: 'primary-2' })).toBe('→ primary-2');
    expect(directionOf({ server: 'Primary' })).toBe('→ Primary');
  });
});
