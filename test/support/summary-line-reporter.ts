import type { RunnerTask, RunnerTestFile } from 'vitest';
import type { Reporter } from 'vitest/reporters';

function countTests(tasks: readonly RunnerTask[], counts: { passed: number; failed: number; skipped: number }): void {
  for (const task of tasks) {
    if (task.type === 'suite') countTests(task.tasks, counts);
    else if (task.result?.state === 'pass') counts.passed++;
    else if (task.result?.state === 'fail') counts.failed++;
    else counts.skipped++;
  }
}

/** Ends the run with a plain `tests: N passed, N failed` line that CI reads. */
export default class SummaryLineReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    countTests(files, counts);
    // A file that fails to load, or an unhandled error, fails the run without failing a test.
    const failed = counts.failed + files.filter((file) => file.result?.state === 'fail' && file.tasks.length === 0).length + errors.length;
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
    process.stdout.write(`\ntests: ${counts.passed} passed, ${failed} failed${skipped}\n`);
  }
}
