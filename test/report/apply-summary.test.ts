import { describe, expect, it } from 'vitest';
import { countApplied, summariseDone, summariseFailed, totalOf } from '../../src/report/apply-summary.js';
import { zeroVerbCounts } from '../../src/report/plan-summary.js';
import { blockLicense, createLicense, createUser, deleteLicense, done, failed, reownLicense, updateLicense, activateLicense } from './support/run-result-builders.js';

describe('countApplied', () => {
  it('splits operations by status and verb', () => {
    const counts = countApplied([
      done(createUser('alice')),
      done(createLicense('D1')),
      done(createLicense('D2')),
      failed(createLicense('D3')),
      done(blockLicense('D4')),
      failed(blockLicense('D5')),
    ]);
    expect(counts.done).toEqual({ ...zeroVerbCounts(), createUser: 1, create: 2, block: 1 });
    expect(counts.failed).toEqual({ ...zeroVerbCounts(), create: 1, block: 1 });
    expect(totalOf(counts.done)).toBe(4);
    expect(totalOf(counts.failed)).toBe(2);
  });
});

describe('summariseDone', () => {
  it('speaks in the past tense, naming the records', () => {
    expect(summariseDone({ createUser: 2, create: 3, update: 1, reown: 1, block: 2, activate: 1, delete: 1 })).toBe(
      'created 2 users, created 3 licenses, updated 1 license, re-owned 1 license, blocked 2 licenses, activated 1 license, deleted 1 license',
    );
  });

  it('says "nothing" when nothing was done', () => {
    expect(summariseDone(zeroVerbCounts())).toBe('nothing');
  });
});

describe('summariseFailed', () => {
  it('says what could not be done', () => {
    const counts = countApplied([failed(createLicense('D1')), failed(updateLicense('D2')), failed(updateLicense('D3')), done(reownLicense('D4')), done(activateLicense('D5')), failed(deleteLicense('D6'))]);
    expect(summariseFailed(counts.failed)).toBe('could not create 1 license, could not update 2 licenses, could not delete 1 license');
  });

  it('says "nothing" when nothing failed', () => {
    expect(summariseFailed(zeroVerbCounts())).toBe('nothing');
  });
});
