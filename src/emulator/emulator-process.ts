import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { EmulatorControl } from './control-client.js';

export interface EmulatorProcess {
  readonly url: string;
  readonly controlSecret: string;
  readonly control: EmulatorControl;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const STARTUP_TIMEOUT_MS = 20_000;

/**
 * Runs `npm run emulator`'s program in its own process (so that a benchmark's
 * load and the server do not share one event loop) and waits until it listens.
 */
export async function spawnEmulator(args: readonly string[] = []): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const ready = new Promise<{ url: string; secret: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)), STARTUP_TIMEOUT_MS);
    const check = () => {
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      const secret = /x-emulator-secret: (\S+)\)/.exec(output)?.[1];
      if (url && secret) {
        clearTimeout(timer);
        resolve({ url, secret });
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with code ${code} before listening:\n${output}`));
    });
  });
  const { url, secret } = await ready;

  return {
    url,
    controlSecret: secret,
    control: new EmulatorControl(url, secret),
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}
