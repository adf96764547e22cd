import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CONTROL_SECRET_HEADER } from '../../../src/emulator/control-routes.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';

// What a client would be told, asked as an observer: requests carrying the
// control secret are never faulted, rate-limited or counted, so the test can
// watch `/verify` while the sync runs through its bad day.

/** `/verify`'s answer in the contract's terms; `unknown` is the 403 for a device_id the server does not hold. */
export type ObservedDecision = 'allow' | 'deny:blocked' | 'deny:expired' | 'deny:pending' | 'unknown';

/** The same clock as the emulators' write log (epoch ms with sub-ms precision), in this process. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

const DENY_MESSAGES: Readonly<Record<string, ObservedDecision>> = {
  'Licença bloqueada.': 'deny:blocked',
  'Licença expirada.': 'deny:expired',
  'Licença pendente de ativação.': 'deny:pending',
};

/** Keep-alive connections shared by the observations of one server. */
function observerAgent(concurrency: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: concurrency });
}

async function observe(server: EmulatorHandle, deviceId: string, agent: Agent): Promise<ObservedDecision> {
  // No `version`: the observation leaves the license's last_version alone.
  const res = await server.request({
    path: `/verify?${new URLSearchParams({ id: deviceId }).toString()}`,
    headers: { [CONTROL_SECRET_HEADER]: server.emulator.controlSecret },
    agent,
  });
  const body = res.json as { allow?: unknown; msg?: unknown } | undefined;
  if (res.status === 403) return 'unknown';
  if (res.status === 200 && body?.allow === true) return 'allow';
  const denial = res.status === 200 && typeof body?.msg === 'string' ? DENY_MESSAGES[body.msg] : undefined;
  if (denial === undefined) throw new Error(`/verify ${deviceId}: unexpected answer ${res.status} ${res.text.slice(0, 200)}`);
  return denial;
}

/** Runs `work` over `items` with at most `concurrency` at once. */
async function eachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** What `/verify` answers for each of `deviceIds` on `server` now. */
export async function decisionsOn(server: EmulatorHandle, deviceIds: Iterable<string>, concurrency = 16): Promise<Map<string, ObservedDecision>> {
  const agent = observerAgent(concurrency);
  const decisions = new Map<string, ObservedDecision>();
  try {
    await eachLimited([...deviceIds], concurrency, async (id) => void decisions.set(id, await observe(server, id, agent)));
  } finally {
    agent.destroy();
  }
  return decisions;
}

/** One observation that found a license allowed: the server answered between these two instants. */
export interface AllowedSighting {
  readonly sentAt: number;
  readonly answeredAt: number;
}

export interface SamplingResult {
  /** Complete rounds over every device_id. */
  readonly rounds: number;
  readonly observations: number;
  /** The longest round: how coarse the sampling was. */
  readonly longestRoundMs: number;
  readonly meanRoundMs: number;
  /** Per device_id seen allowed at least once, every sighting, in order. */
  readonly allowed: ReadonlyMap<string, readonly AllowedSighting[]>;
}

export interface VerifySampler {
  /** Ends the sampling (observations in flight are awaited) and returns what was seen; the same answer on every call. */
  stop(): Promise<SamplingResult>;
}

/**
 * Asks `/verify` about every one of `deviceIds`, round after round, until
 * stopped, and remembers each time one was allowed.
 */
export function startVerifySampler(server: EmulatorHandle, deviceIds: readonly string[], concurrency = 16): VerifySampler {
  const agent = observerAgent(concurrency);
  const allowed = new Map<string, AllowedSighting[]>();
  const roundsMs: number[] = [];
  let observations = 0;
  let stopping = false;
  const sample = async (id: string) => {
    if (stopping) return;
    const sentAt = epochNow();
    const decision = await observe(server, id, agent);
    observations++;
    if (decision !== 'allow') return;
    const sighting = { sentAt, answeredAt: epochNow() };
    const seen = allowed.get(id);
    if (seen) seen.push(sighting);
    else allowed.set(id, [sighting]);
  };
  const running = (async () => {
    while (!stopping) {
      const started = epochNow();
      await eachLimited(deviceIds, concurrency, sample);
      // A round cut short by stop() says nothing about how long a round takes.
      if (!stopping) roundsMs.push(epochNow() - started);
    }
  })();
  // A failed observation surfaces from stop(); until then it must not count as unhandled.
  running.catch(() => undefined);
  const finish = async (): Promise<SamplingResult> => {
    stopping = true;
    try {
      await running;
    } finally {
      agent.destroy();
    }
    return {
      rounds: roundsMs.length,
      observations,
      longestRoundMs: Math.max(0, ...roundsMs),
      meanRoundMs: roundsMs.length === 0 ? 0 : roundsMs.reduce((sum, ms) => sum + ms, 0) / roundsMs.length,
      allowed,
    };
  };
  let result: Promise<SamplingResult> | null = null;
  return { stop: () => (result ??= finish()) };
}
