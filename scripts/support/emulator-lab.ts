import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator, type EmulatorProcess } from '../../src/emulator/emulator-process.js';
import { t } from '../../src/i18n/i18n.js';
import { killRunningCli } from './sync-cli.js';

/**
 * The emulators and temporary folder of a demo or benchmark: started on
 * demand, and stopped and removed on the way out, Ctrl-C included.
 */
export class EmulatorLab {
  private readonly emulators = new Set<EmulatorProcess>();
  private cleaning: Promise<void> | null = null;
  private workDir = '';
  /** Set once SIGINT/SIGTERM arrived; the caller should exit 130. */
  interrupted = false;

  constructor(private readonly name: string) {
    // `on`, not `once`: under `npm run` the signal may arrive twice (from the terminal and
    // relayed by tsx), and a second one with no listener left would exit before the clean-up.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (this.interrupted) return;
        this.interrupted = true;
        console.error(`\n${t('demo:interrupted', { name: this.name, signal })}`);
        void this.cleanUp().finally(() => process.exit(130));
      });
    }
  }

  /** Creates the temporary folder; returns its path. */
  async open(): Promise<string> {
    this.workDir = await mkdtemp(join(tmpdir(), `sync-dbs-${this.name}-`));
    return this.workDir;
  }

  async start(args: string[]): Promise<EmulatorProcess> {
    const emulator = await spawnEmulator(args);
    this.emulators.add(emulator);
    return emulator;
  }

  async stop(emulator: EmulatorProcess): Promise<void> {
    await emulator.stop();
    this.emulators.delete(emulator);
  }

  cleanUp(): Promise<void> {
    this.cleaning ??= (async () => {
      killRunningCli();
      await Promise.allSettled([...this.emulators].map((emulator) => emulator.stop()));
      if (this.workDir !== '') await rm(this.workDir, { recursive: true, force: true });
    })();
    return this.cleaning;
  }
}
