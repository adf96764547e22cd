import { beforeEach, describe, expect, it } from 'vitest';
import { AdaptiveLimit, type ConcurrencyLimit, type LimitChange, type LimitSample, type SampleOutcome } from '../../src/api/concurrency-limit.js';
import { useEmulator } from '../support/emulator-fixture.js';
import { apiErrorOf, closeClientsAfterEach, makeClient, resetEmulator } from './support/client-harness.js';

// What the client tells each server's limits: every request is a sample, its
// outcome read from the answer; reads (listings, logins) and writes apart.

const handle = useEmulator();
closeClientsAfterEach();

beforeEach(async () => {
  await resetEmulator(handle());
});

/** A limit that lets `current` through and remembers every sample. */
class WatchedLimit implements ConcurrencyLimit {
  readonly samples: LimitSample[] = [];
  constructor(public current: number) {}
  record(sample: LimitSample): LimitChange | null {
    this.samples.push(sample);
    return null;
  }
  outcomes(): SampleOutcome[] {
    return this.samples.map((sample) => sample.outcome);
  }
}

const upsert = (deviceId: string) => ({ device_id: deviceId, license_type: 'anual' as const, owner_name: 'Maria', cpf: null, email: null, address: null, created_by: 'admin' });

function watchedClient(options: { timeoutMs?: number; writes?: number } = {}) {
  const reads = new WatchedLimit(4);
  const writes = new WatchedLimit(options.writes ?? 4);
  const made = makeClient({ url: handle().url, retry: { attempts: 2, minDelayMs: 5, maxDelayMs: 10, rateLimitPatienceMs: 50 }, concurrency: { reads, writes }, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  return { ...made, reads, writes };
}

describe("the client and each server's concurrency limits", () => {
  it('counts logins and listings as reads, the rest as writes, each answered request a sample', async () => {
    const { client, reads, writes } = watchedClient();
    await client.login();
    await client.listLicenses();
    await client.upsertLicense(upsert('d-1'));
    expect(reads.outcomes()).toEqual(['answered', 'answered']);
    expect(writes.outcomes()).toEqual(['answered']);
    expect(writes.samples[0]?.endedAt).toBeGreaterThanOrEqual(writes.samples[0]?.startedAt ?? Number.NaN);
    expect(client.writeFigures).toMatchObject({ requests: 1, medianInFlight: 1, maxInFlight: 1 });
  });

  it('tells a 5xx, a 429 and a timeout apart, attempt by attempt', async () => {
    const { client, writes } = watchedClient({ timeoutMs: 300 });
    await client.login();
    await handle().control.setFaults({ failures: { rate: 1, kinds: ['503'], scope: 'writes' } });
    await apiErrorOf(client.upsertLicense(upsert('d-2')));
    expect(writes.outcomes()).toEqual(['server-error', 'server-error']);

    await handle().control.setFaults({ rateLimit: { requests: 1, windowMs: 60_000 } });
    await client.listLicenses();
    await apiErrorOf(client.upsertLicense(upsert('d-3'))).catch(() => undefined);
    expect(writes.outcomes().slice(2)).toContain('rate-limited');

    await handle().control.setFaults({ latency: { fixedMs: 1_000, jitterMs: 0 } });
    writes.samples.length = 0;
    await apiErrorOf(client.upsertLicense(upsert('d-4')));
    expect(writes.outcomes()).toEqual(['timeout', 'timeout']);
  }, 20_000);

  it('holds writes to the limit: never more in flight than it allows', async () => {
    const { client } = watchedClient({ writes: 3 });
    await client.login();
    await handle().control.setFaults({ latency: { fixedMs: 30, jitterMs: 0 } });
    await Promise.all(Array.from({ length: 12 }, (_, n) => client.upsertLicense(upsert(`d-${n}`))));
    expect(client.writeFigures).toMatchObject({ requests: 12, maxInFlight: 3 });
  });

  it('logs each change of an adaptive limit at debug level', async () => {
    const made = makeClient({ url: handle().url, concurrency: { reads: new AdaptiveLimit({ initial: 4, max: 64 }), writes: new AdaptiveLimit({ initial: 2, max: 64 }) } });
    await made.client.login();
    await handle().control.setFaults({ latency: { fixedMs: 20, jitterMs: 0 } });
    await Promise.all(Array.from({ length: 20 }, (_, n) => made.client.upsertLicense(upsert(`d-${n}`))));
    expect(made.log.lines.filter((line) => line.startsWith('debug '))).toContainEqual(expect.stringMatching(/^debug backup: write concurrency 2 -> 3 \(latency steady: \d+ ms, best \d+ ms\)$/));
  });
});
