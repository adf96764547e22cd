import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const LOCK_CHILD = fileURLToPath(new URL('./lock-child.ts', import.meta.url));

export type ChildMode = 'open' | 'hold' | 'race';

/** A lock-child.ts process, and the JSON lines it prints, one at a time. */
export class LockChild {
  private readonly messages: Record<string, unknown>[] = [];
  private readonly waiting: { resolve: (message: Record<string, unknown>) => void; reject: (error: Error) => void }[] = [];
  private stderr = '';
  private hasExited = false;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(message);
      else this.messages.push(message);
    });
    // Writing to a child that already died must not crash the test process.
    child.stdin.on('error', () => undefined);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) =>
      child.once('close', () => {
        this.hasExited = true;
        for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure('exited'));
        resolve();
      }),
    );
  }

  static start(stateDir: string, mode: ChildMode): LockChild {
    // tsx is resolved from the working directory: the repository.
    return new LockChild(spawn(process.execPath, ['--import', 'tsx', LOCK_CHILD, stateDir, mode], { cwd: REPO_ROOT, stdio: 'pipe' }));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  next(timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const queued = this.messages.shift();
    if (queued) return Promise.resolve(queued);
    if (this.hasExited) return Promise.reject(this.failure('exited'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(this.failure(`printed nothing in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  private failure(what: string): Error {
    return new Error(`lock-child ${this.pid} ${what} before printing the expected line; stderr:\n${this.stderr}`);
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Closes its stdin and waits for it to exit. */
  async stop(): Promise<void> {
    this.child.stdin.end();
    await this.exited;
  }

  /** SIGKILL: the process gets no chance to release anything. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
