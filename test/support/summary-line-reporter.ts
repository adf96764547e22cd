import type { RunnerTask, RunnerTestFile } from 'vitest';
import type { Reporter } from 'vitest/reporters';

interface Tally {
  passed: number;
  skipped: number;
  /** `file > suite > test: first line of the error`, one per failed test. */
  failures: string[];
}

function firstErrorLine(task: RunnerTask): string {
  const message = task.result?.errors?.[0]?.message ?? '';
  return message.split('\n')[0]?.slice(0, 200) ?? '';
}

function tally(tasks: readonly RunnerTask[], path: readonly string[], counts: Tally): void {
  for (const task of tasks) {
    const here = [...path, task.name];
    if (task.type === 'suite') tally(task.tasks, here, counts);
    else if (task.result?.state === 'pass') counts.passed++;
    else if (task.result?.state === 'fail') counts.failures.push(`${here.join(' > ')}: ${firstErrorLine(task)}`);
    else counts.skipped++;
  }
}

/**
 * Ends the run with a plain `tests: N passed, N failed` line that CI reads,
 * followed by one `failed test: …` line per failure, so that the end of a long
 * CI log names what failed.
 */
export default class SummaryLineReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const counts: Tally = { passed: 0, skipped: 0, failures: [] };
    for (const file of files) {
      tally(file.tasks, [file.name], counts);
      // A file that fails to load fails the run without failing a test.
      if (file.result?.state === 'fail' && file.tasks.length === 0) counts.failures.push(`${file.name}: ${firstErrorLine(file)}`);
    }
    for (const error of errors) counts.failures.push(`unhandled error: ${String((error as Error)?.message ?? error).split('\n')[0]}`);
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
    const lines = [`tests: ${counts.passed} passed, ${counts.failures.length} failed${skipped}`, ...counts.failures.map((line) => `failed test: ${line}`)];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
