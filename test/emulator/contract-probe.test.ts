import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/server.js';

const run = promisify(execFile);

// The black-box probe that the deployed servers pass in full, kept beside the
// repository in shared/ (CONTRACT_PROBE overrides the path). A clone on its
// own has no shared/: it runs the copy kept in support/, which must be the
// shared probe byte for byte wherever both are present. It needs python3.
const SHARED = process.env.CONTRACT_PROBE ?? resolve(import.meta.dirname, '../../../shared/contract-probe.py');
const COPY = resolve(import.meta.dirname, 'support/contract-probe.py');
const PROBE = existsSync(SHARED) ? SHARED : COPY;

describe('the shared contract probe', () => {
  it('passes every check against a fresh emulator', async () => {
    expect(existsSync(PROBE), `contract probe not found at ${SHARED} nor ${COPY}; set CONTRACT_PROBE to its path`).toBe(true);
    if (PROBE === SHARED) expect(readFileSync(COPY, 'utf8'), `${COPY} is not the shared probe: copy ${SHARED} over it`).toBe(readFileSync(SHARED, 'utf8'));
    const emulator = await startEmulator();
    try {
      const { stdout } = await run('python3', [PROBE, emulator.url]).catch((error: { stdout?: string; message: string }) => {
        throw new Error(`probe failed:\n${error.stdout ?? error.message}`);
      });
      const summary = /contract: (\d+)\/(\d+)/.exec(stdout);
      expect(summary, stdout).not.toBeNull();
      expect(summary?.[1]).toBe(summary?.[2]);
      expect(Number(summary?.[2])).toBeGreaterThanOrEqual(37);
      expect(stdout).not.toContain('FAIL');
    } finally {
      await emulator.close();
    }
  });
});
