import { describe, expect, it } from 'vitest';
import { OPERATION_KINDS, type OperationKind } from '../../../src/plan/operation.js';
import { countApplied, summariseDone, summariseFailed } from '../../../src/report/apply-summary.js';
import { operationLine } from '../../../src/report/operation-label.js';
import { countVerbs, nounOf, summariseVerbs, verbOf, VERBS } from '../../../src/report/plan-summary.js';
import { OPERATION_KIND_WORDS, type OperationKindWords } from '../../../src/report/wording/operation-kind-words.js';
import { activateLicense, blockLicense, createLicense, createUser, deleteLicense, done, failed, reownLicense, updateLicense } from '../support/run-result-builders.js';

// One table names every operation kind in every form the reports use.

describe('OPERATION_KIND_WORDS', () => {
  it('has every form of every kind, and one verb per kind', () => {
    for (const kind of OPERATION_KINDS) {
      const words = OPERATION_KIND_WORDS[kind];
      for (const form of [words.symbol, words.title, words.future, words.past, words.infinitive, words.verb, words.noun]) expect(form.length).toBeGreaterThan(0);
    }
    expect(new Set(OPERATION_KINDS.map((kind) => OPERATION_KIND_WORDS[kind].verb)).size).toBe(OPERATION_KINDS.length);
    expect(VERBS).toEqual(OPERATION_KINDS.map((kind) => OPERATION_KIND_WORDS[kind].verb));
  });

  it('makes a kind left out a type error', () => {
    const { block: _block, ...withoutBlock } = OPERATION_KIND_WORDS;
    // @ts-expect-error -- every kind must have its words
    const incomplete: { readonly [K in OperationKind]: OperationKindWords } = withoutBlock;
    expect(Object.keys(incomplete)).not.toContain('block');
  });

  it('is where every report form comes from', () => {
    const operations = [createUser('u'), createLicense('C'), updateLicense('U'), reownLicense('R'), blockLicense('B'), activateLicense('A'), deleteLicense('D')];
    expect(operations.map((operation) => operationLine(operation).slice(0, 1))).toEqual(OPERATION_KINDS.map((kind) => OPERATION_KIND_WORDS[kind].symbol));
    expect(operations.map((operation) => nounOf(verbOf(operation)))).toEqual(OPERATION_KINDS.map((kind) => OPERATION_KIND_WORDS[kind].noun));
    expect(summariseVerbs(countVerbs(operations))).toBe(
      '1 user to create, 1 license to create, 1 license to update, 1 license to re-own, 1 license to block, 1 license to activate, 1 license to delete',
    );
    const applied = countApplied([...operations.map((operation) => done(operation)), ...operations.map((operation) => failed(operation))]);
    expect(summariseDone(applied.done)).toBe('created 1 user, created 1 license, updated 1 license, re-owned 1 license, blocked 1 license, activated 1 license, deleted 1 license');
    expect(summariseFailed(applied.failed)).toBe(
      'could not create 1 user, could not create 1 license, could not update 1 license, could not re-own 1 license, could not block 1 license, could not activate 1 license, could not delete 1 license',
    );
  });
});
