import { describe, expect, it } from 'vitest';
import { OPERATION_KINDS } from '../../src/plan/operation.js';
import { countVerbs, summariseVerbs, verbOf, VERBS, zeroVerbCounts } from '../../src/report/plan-summary.js';
import { activateLicense, blockLicense, createLicense, createUser, deleteLicense, reownLicense, updateLicense } from './support/run-result-builders.js';

describe('verbOf', () => {
  it.each([
    [createUser('alice'), 'createUser'],
    [createLicense('D1'), 'create'],
    [updateLicense('D1'), 'update'],
    [reownLicense('D1'), 'reown'],
    [blockLicense('D1'), 'block'],
    [activateLicense('D1'), 'activate'],
    [deleteLicense('D1'), 'delete'],
  ] as const)('maps %o to %s', (operation, verb) => {
    expect(verbOf(operation)).toBe(verb);
  });

  it('gives every operation kind its own verb', () => {
    const verbs = OPERATION_KINDS.map((kind) => verbOf({ kind }));
    expect(new Set(verbs).size).toBe(OPERATION_KINDS.length);
    expect([...verbs].sort()).toEqual([...VERBS].sort());
  });
});

describe('countVerbs', () => {
  it('counts nothing in an empty plan', () => {
    expect(countVerbs([])).toEqual(zeroVerbCounts());
  });

  it('counts each operation under its verb', () => {
    const counts = countVerbs([
      createUser('alice'),
      createUser('bob'),
      createLicense('D1'),
      createLicense('D2', 'deny:blocked'),
      createLicense('D3'),
      updateLicense('D4'),
      reownLicense('D5'),
      blockLicense('D6'),
      blockLicense('D7'),
      activateLicense('D8'),
      deleteLicense('D9'),
    ]);
    expect(counts).toEqual({ createUser: 2, create: 3, update: 1, reown: 1, block: 2, activate: 1, delete: 1 });
  });
});

describe('summariseVerbs', () => {
  it('says "no changes" when every count is zero', () => {
    expect(summariseVerbs(zeroVerbCounts())).toBe('no changes');
  });

  it('names users and licenses in every part, in apply order', () => {
    expect(summariseVerbs({ createUser: 2, create: 3, update: 1, reown: 1, block: 2, activate: 1, delete: 1 })).toBe(
      '2 users to create, 3 licenses to create, 1 license to update, 1 license to re-own, 2 licenses to block, 1 license to activate, 1 license to delete',
    );
  });

  it('leaves out zero counts', () => {
    expect(summariseVerbs({ ...zeroVerbCounts(), create: 3, update: 1, block: 2 })).toBe('3 licenses to create, 1 license to update, 2 licenses to block');
  });

  it('uses the singular for one', () => {
    expect(summariseVerbs({ ...zeroVerbCounts(), createUser: 1 })).toBe('1 user to create');
    expect(summariseVerbs({ ...zeroVerbCounts(), delete: 1 })).toBe('1 license to delete');
  });
});
