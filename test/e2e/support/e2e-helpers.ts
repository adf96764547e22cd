import { createServer } from 'node:net';
import { expect } from 'vitest';
import type { Dataset } from '../../../src/emulator/dataset/dataset-file.js';
import { createRandom } from '../../../src/emulator/random.js';
import { hashPassword } from '../../../src/emulator/password-hash.js';
import type { JsonReport } from '../../../src/report/json-report.js';
import type { CliOptions, CliRun } from '../../support/cli-process.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import { verify } from '../../support/license-api-helpers.js';
import type { SyncPair } from '../../support/sync-pair.js';

// Helpers shared by the end-to-end tests: run the CLI with --json, ask /verify,
// find a closed port, seed faults.

export type { JsonReport };

export interface JsonRun {
  readonly run: CliRun;
  readonly report: JsonReport;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with `--json` and parses its report (fails the test when stdout is not JSON). */
export async function runJson(pair: SyncPair, args: readonly string[] = [], options: CliOptions = {}): Promise<JsonRun> {
  const run = await pair.cli(['--json', ...args], options);
  return { run, report: run.json<JsonReport>(), exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr };
}

/** What `/verify` tells a client about this license on this server: true for allow. */
export async function verifyAllow(server: EmulatorHandle, deviceId: string): Promise<boolean> {
  const res = await verify(server, deviceId);
  const allow = (res.json as { allow?: unknown } | undefined)?.allow;
  if (typeof allow !== 'boolean') throw new Error(`/verify ${deviceId}: no allow in ${res.status} ${res.text}`);
  return allow;
}

/** The device_ids a server holds (from its control endpoint, not through the API). */
export async function deviceIds(server: EmulatorHandle): Promise<string[]> {
  return (await server.control.state()).devices.map((device) => device.device_id);
}

/** The status of one license on a server, or undefined when it does not hold it. */
export async function statusOn(server: EmulatorHandle, deviceId: string): Promise<string | undefined> {
  return (await server.control.state()).devices.find((device) => device.device_id === deviceId)?.status;
}

/**
 * Every license the primary holds gets the same allow/deny from the backup's
 * `/verify` as from the primary's. Heals both servers first (faults would
 * strike `/verify` too).
 */
export async function expectSameAllowEverywhere(primary: EmulatorHandle, backup: EmulatorHandle): Promise<void> {
  await Promise.all([primary.control.setFaults({}), backup.control.setFaults({})]);
  const ids = await deviceIds(primary);
  expect(ids.length).toBeGreaterThan(0);
  const mismatches: string[] = [];
  for (const id of ids) {
    const [onPrimary, onBackup] = await Promise.all([verifyAllow(primary, id), verifyAllow(backup, id)]);
    if (onPrimary !== onBackup) mismatches.push(`${id}: primary allow=${onPrimary}, backup allow=${onBackup}`);
  }
  expect(mismatches).toEqual([]);
}

/** A loopback port on which nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

/** A dataset whose panel administrator `admin` has this password instead of admin123. */
export function withAdminPassword(dataset: Dataset, password: string): Dataset {
  return {
    ...dataset,
    admin_users: dataset.admin_users.map((admin) => (admin.username === 'admin' ? { ...admin, password_hash: hashPassword(password), must_change_password: false } : admin)),
  };
}

/**
 * A seed for the emulator's `failures` fault under which the requests in its
 * scope (with scope `writes`: every non-GET, login included), in arrival
 * order, pass or fail as `pattern` says. It replays the emulator's draws
 * (src/emulator/fault-injector.ts): one `chance(rate)` per request in scope;
 * a failing one also draws its kind and whether it strikes after the handler.
 * Requests out of scope draw nothing; no latency jitter may be set.
 */
export function seedForFailures(rate: number, pattern: readonly ('pass' | 'fail')[], maxSeed = 1_000_000): number {
  for (let seed = 1; seed <= maxSeed; seed++) {
    const random = createRandom(seed);
    const matches = pattern.every((wanted) => {
      const fails = random.chance(rate);
      if (fails) {
        random.next(); // the kind
        random.next(); // before or after the handler
      }
      return fails === (wanted === 'fail');
    });
    if (matches) return seed;
  }
  throw new Error(`no seed up to ${maxSeed} gives ${pattern.join(',')} at rate ${rate}`);
}

/** Strings that must never appear in `texts`; returns those that do, with where. */
export function leaksIn(secrets: readonly string[], texts: Readonly<Record<string, string>>): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    for (const [where, text] of Object.entries(texts)) {
      if (text.includes(secret)) leaks.push(`${JSON.stringify(secret.length > 12 ? `${secret.slice(0, 12)}…` : secret)} in ${where}`);
    }
  }
  return leaks;
}
