import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunnerTestFile } from 'vitest';
import SummaryLineReporter from '../support/summary-line-reporter.js';

type State = 'pass' | 'fail' | 'skip';
const test = (name: string, state: State, message?: string) => ({
  type: 'test', name, result: { state, errors: message ? [{ message }] : undefined },
});
const file = (name: string, tasks: unknown[], state: State = 'pass') => ({ type: 'suite', name, tasks, result: { state } }) as unknown as RunnerTestFile;

function printed(files: RunnerTestFile[], errors: unknown[] = []): string[] {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  new SummaryLineReporter().onFinished(files, errors);
  const text = write.mock.calls.map(([chunk]) => String(chunk)).join('');
  return text.trim().split('\n');
}

describe('the summary line that CI reads', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts passed, failed and skipped tests through nested suites', () => {
    const lines = printed([
      file('test/a.test.ts', [test('one', 'pass'), { type: 'suite', name: 'group', tasks: [test('two', 'pass'), test('three', 'skip')] }]),
    ]);
    expect(lines).toEqual(['tests: 2 passed, 0 failed, 1 skipped']);
  });

  it('names each failed test with its path and the first line of its error, after the count', () => {
    const lines = printed([
      file('test/e2e/serve.test.ts', [{ type: 'suite', name: 'serve', tasks: [test('reconciles', 'fail', 'expected 1 to be 2\n  at line 3'), test('ok', 'pass')] }], 'fail'),
    ]);
    expect(lines).toEqual(['tests: 1 passed, 1 failed', 'failed test: test/e2e/serve.test.ts > serve > reconciles: expected 1 to be 2']);
  });

  it('counts a file that failed to load and an unhandled error as failures, by name', () => {
    const broken = { ...file('test/broken.test.ts', [], 'fail'), result: { state: 'fail', errors: [{ message: 'Cannot find module x' }] } } as unknown as RunnerTestFile;
    const lines = printed([broken], [new Error('socket hang up\nstack')]);
    expect(lines).toEqual([
      'tests: 0 passed, 2 failed',
      'failed test: test/broken.test.ts: Cannot find module x',
      'failed test: unhandled error: socket hang up',
    ]);
  });
});
