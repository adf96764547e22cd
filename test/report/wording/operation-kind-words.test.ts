import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../src/i18n/i18n.js';
import { OPERATION_KINDS, type OperationKind } from '../../../src/plan/operation.js';
import { countApplied, summariseDone, summariseFailed } from '../../../src/report/apply-summary.js';
import { operationLine } from '../../../src/report/operation-label.js';
import { countVerbs, nounOf, summariseVerbs, verbOf, VERBS } from '../../../src/report/plan-summary.js';
import { countedKindText, OPERATION_KIND_WORDS, type OperationKindWords } from '../../../src/report/wording/operation-kind-words.js';
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

describe('OPERATION_KIND_WORDS in Brazilian Portuguese', () => {
  afterEach(() => setLanguage('en'));

  it('reads its words in the language in force when they are read, not when the table was built', () => {
    setLanguage('pt-BR');
    expect(OPERATION_KIND_WORDS['create-license'].title).toBe('criar licenças');
    expect(OPERATION_KIND_WORDS['create-user'].title).toBe('criar revendedores');
    expect(OPERATION_KIND_WORDS.block.past).toBe('bloqueadas');
    expect(OPERATION_KIND_WORDS['delete-license'].future).toBe('a excluir');
    expect(OPERATION_KIND_WORDS['update-license'].infinitive).toBe('atualizar');
    expect(OPERATION_KIND_WORDS['update-license'].note).toBe('upsert: redefine as datas da licença, reativa-a e pode mandar e-mail ao cliente');
    expect(OPERATION_KIND_WORDS.activate.note).toBeNull();
    setLanguage('en');
    expect(OPERATION_KIND_WORDS['create-license'].title).toBe('create licenses');
  });

  it('has a Portuguese form of every English one, and keeps the codes and symbols', () => {
    const english = OPERATION_KINDS.map((kind) => ({ ...OPERATION_KIND_WORDS[kind] }));
    setLanguage('pt-BR');
    OPERATION_KINDS.forEach((kind, index) => {
      const words = OPERATION_KIND_WORDS[kind];
      const before = english[index] as OperationKindWords;
      for (const form of ['title', 'future', 'past', 'infinitive'] as const) expect(words[form], `${kind} ${form}`).not.toBe(before[form]);
      expect(words.note === null).toBe(before.note === null);
      expect([words.verb, words.noun, words.symbol]).toEqual([before.verb, before.noun, before.symbol]);
    });
  });
});

describe('countedKindText', () => {
  afterEach(() => setLanguage('en'));

  it('words a count of a kind whole, as the English summaries put it together', () => {
    const operations = [createUser('u'), createLicense('C'), updateLicense('U'), reownLicense('R'), blockLicense('B'), activateLicense('A'), deleteLicense('D')];
    expect(OPERATION_KINDS.map((kind) => countedKindText(kind, 1, 'future')).join(', ')).toBe(summariseVerbs(countVerbs(operations)));
    const applied = countApplied([...operations.map((operation) => done(operation)), ...operations.map((operation) => failed(operation))]);
    expect(OPERATION_KINDS.map((kind) => countedKindText(kind, 1, 'past')).join(', ')).toBe(summariseDone(applied.done));
    expect(OPERATION_KINDS.map((kind) => countedKindText(kind, 1, 'failed')).join(', ')).toBe(summariseFailed(applied.failed));
    expect(countedKindText('block', 12345, 'future')).toBe('12,345 licenses to block');
  });

  it('makes the Portuguese words agree with the count and the record', () => {
    setLanguage('pt-BR');
    expect(countedKindText('create-license', 1, 'past')).toBe('1 licença criada');
    expect(countedKindText('create-license', 1500, 'past')).toBe('1.500 licenças criadas');
    expect(countedKindText('create-user', 2, 'past')).toBe('2 revendedores criados');
    expect(countedKindText('delete-license', 3, 'future')).toBe('3 licenças a excluir');
    expect(countedKindText('block', 1, 'failed')).toBe('não foi possível bloquear 1 licença');
  });
});
