import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { newServerError } from '../../src/api/license-server.js';
import { executeOperations } from '../../src/execute/executor.js';
import { closesAccess, type Operation } from '../../src/plan/operation.js';

/** A block operation; `tag` names it in the recorded events. */
function op(key: string, tag: string): Operation {
  return { server: 'backup', kind: 'block', key, deviceId: tag, reason: { code: 'backup-only' as const } };
}

/** An operation of `kind` on `key`, tagged like `op`'s blocks. */
function opOfKind(kind: 'create-license' | 'activate' | 'delete-license' | 'update-created-by', key: string, tag: string): Operation {
  const base = { server: 'backup', key, reason: { code: 'backup-only' as const } };
  switch (kind) {
    case 'create-license':
      return {
        ...base,
        kind,
        body: { device_id: tag, license_type: 'anual', owner_name: null, cpf: null, email: null, address: null, created_by: 'admin' },
        thenBlock: null,
      };
    case 'update-created-by':
      return { ...base, kind, deviceId: tag, createdBy: 'admin' };
    default:
      return { ...base, kind, deviceId: tag };
  }
}

const tagOf = (operation: Operation) => ('deviceId' in operation ? operation.deviceId : 'body' in operation ? operation.body.device_id : '?');

interface Recorder {
  readonly events: string[];
  maxInFlight: number;
  apply(operation: Operation): Promise<string | null>;
}

/** A fake apply: records start and end of each operation and waits `delayOf` ms in between. */
function recorder(delayOf: (tag: string) => number, fail: (tag: string) => boolean = () => false): Recorder {
  let inFlight = 0;
  const rec: Recorder = {
    events: [],
    maxInFlight: 0,
    apply: async (operation) => {
      const tag = tagOf(operation);
      inFlight += 1;
      rec.maxInFlight = Math.max(rec.maxInFlight, inFlight);
      rec.events.push(`start ${tag}`);
      await sleep(delayOf(tag));
      rec.events.push(`end ${tag}`);
      inFlight -= 1;
      if (fail(tag)) throw new Error(`failed ${tag}`);
      return `note ${tag}`;
    },
  };
  return rec;
}

describe('executeOperations', () => {
  it('keeps at most `concurrency` operations in flight, and uses that many', async () => {
    const operations = Array.from({ length: 20 }, (_, n) => op(`license:${n}`, `op${n}`));
    const rec = recorder((tag) => 2 + (Number(tag.slice(2)) % 4) * 3);

    const outcomes = await executeOperations(operations, rec.apply, { concurrency: 3 });

    expect(rec.maxInFlight).toBe(3);
    expect(outcomes.every((outcome) => outcome.status === 'done')).toBe(true);
    expect(rec.events.filter((event) => event.startsWith('start'))).toHaveLength(20);
  });

  it('follows a concurrency that changes while it runs (an adaptive limit), asking it as operations start and end', async () => {
    const operations = Array.from({ length: 40 }, (_, n) => op(`license:${n}`, `op${n}`));
    let inFlight = 0;
    let limit = 2;
    const seen: { inFlight: number; limit: number }[] = [];
    const apply = async () => {
      inFlight += 1;
      seen.push({ inFlight, limit });
      await sleep(2);
      inFlight -= 1;
      return null;
    };
    let started = 0;
    const outcomes = await executeOperations(operations, apply, {
      concurrency: () => limit,
      onStart: () => {
        started += 1;
        if (started === 10) limit = 6;
        if (started === 30) limit = 1;
      },
    });
    expect(outcomes.every((outcome) => outcome.status === 'done')).toBe(true);
    expect(Math.max(...seen.slice(0, 9).map((entry) => entry.inFlight))).toBe(2);
    expect(Math.max(...seen.map((entry) => entry.inFlight))).toBe(6);
    expect(seen.slice(-5).every((entry) => entry.inFlight === 1)).toBe(true);
  });

  it('with concurrency 1 runs everything one after another in plan order', async () => {
    const operations = ['a', 'b', 'c', 'd'].map((key, n) => op(`license:${key}`, `op${n}`));
    const rec = recorder((tag) => 10 - Number(tag.slice(2)) * 3);

    await executeOperations(operations, rec.apply, { concurrency: 1 });

    expect(rec.events).toEqual(['start op0', 'end op0', 'start op1', 'end op1', 'start op2', 'end op2', 'start op3', 'end op3']);
  });

  it('runs operations sharing a key strictly one after another, in plan order', async () => {
    // Later operations of a key are quicker: run concurrently, they would finish first.
    const plan: [string, string][] = [
      ['license:A', 'A1'],
      ['license:B', 'B1'],
      ['license:A', 'A2'],
      ['user:C', 'C1'],
      ['license:A', 'A3'],
      ['license:B', 'B2'],
    ];
    const delays: Record<string, number> = { A1: 30, A2: 15, A3: 2, B1: 20, B2: 2, C1: 5 };
    const rec = recorder((tag) => delays[tag] ?? 0);

    await executeOperations(
      plan.map(([key, tag]) => op(key, tag)),
      rec.apply,
      { concurrency: 8 },
    );

    for (const key of ['A', 'B']) {
      const ofKey = rec.events.filter((event) => event.split(' ')[1]?.startsWith(key));
      const tags = plan.filter(([, tag]) => tag.startsWith(key)).map(([, tag]) => tag);
      expect(ofKey).toEqual(tags.flatMap((tag) => [`start ${tag}`, `end ${tag}`]));
    }
    // Different keys did run concurrently.
    expect(rec.maxInFlight).toBe(3);
  });

  it('goes on after a failure, in other keys and in the same key, and reports it', async () => {
    const operations = [op('license:A', 'A1'), op('license:B', 'B1'), op('license:A', 'A2'), op('license:C', 'C1')];
    const rec = recorder(
      () => 3,
      (tag) => tag === 'A1' || tag === 'C1',
    );

    const outcomes = await executeOperations(operations, rec.apply, { concurrency: 2 });

    expect(outcomes.map((outcome) => [tagOf(outcome.operation), outcome.status, outcome.note])).toEqual([
      ['A1', 'failed', null],
      ['B1', 'done', 'note B1'],
      ['A2', 'done', 'note A2'],
      ['C1', 'failed', null],
    ]);
    expect((outcomes[0]?.error as Error).message).toBe('failed A1');
    expect((outcomes[3]?.error as Error).message).toBe('failed C1');
    expect(outcomes[1]?.error).toBeNull();
  });

  it('records an apply that throws synchronously as a failure', async () => {
    const boom = new Error('synchronous');
    const apply = (operation: Operation): Promise<string | null> => {
      if (tagOf(operation) === 'x') throw boom;
      return Promise.resolve(null);
    };

    const outcomes = await executeOperations([op('k:1', 'x'), op('k:2', 'y')], apply, { concurrency: 2 });

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'done']);
    expect(outcomes[0]?.error).toBe(boom);
  });

  it('returns outcomes in plan order whatever order they finish in, each with its own operation', async () => {
    const operations = Array.from({ length: 12 }, (_, n) => op(`license:${n % 5}`, `op${n}`));
    const rec = recorder((tag) => 20 - Number(tag.slice(2)));

    const outcomes = await executeOperations(operations, rec.apply, { concurrency: 4 });

    expect(outcomes).toHaveLength(12);
    outcomes.forEach((outcome, index) => {
      expect(outcome.operation).toBe(operations[index]);
      expect(outcome).toEqual({ operation: operations[index], status: 'done', note: `note op${index}`, error: null });
    });
    // They did not finish in plan order, so the order above is the executor's doing.
    const ends = rec.events.filter((event) => event.startsWith('end')).map((event) => event.slice(4));
    expect(ends).not.toEqual(operations.map(tagOf));
  });

  it('returns an empty list for an empty plan', async () => {
    const rec = recorder(() => 0);
    expect(await executeOperations([], rec.apply, { concurrency: 4 })).toEqual([]);
    expect(rec.events).toEqual([]);
  });

  it('starts nothing once aborted, lets in-flight operations finish and reports the rest as not sent', async () => {
    const controller = new AbortController();
    const operations = Array.from({ length: 10 }, (_, index) => op(`k:${index}`, `op${index}`));
    const started: number[] = [];
    const settled: string[] = [];
    const apply = async (operation: Operation) => {
      if (tagOf(operation) === 'op1') controller.abort();
      await sleep(20);
      return null;
    };

    const outcomes = await executeOperations(operations, apply, {
      concurrency: 2,
      signal: controller.signal,
      onStart: (index) => started.push(index),
      onSettled: (index, outcome) => settled.push(`${index}:${outcome.status}`),
    });

    expect(started).toEqual([0, 1]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['done', 'done', ...Array<string>(8).fill('not-sent')]);
    expect(settled).toHaveLength(10);
    expect(settled).toContain('0:done');
    expect(settled).toContain('9:not-sent');
  });

  it('tells onStart before the operation is applied and onSettled after, with its outcome', async () => {
    const events: string[] = [];
    const apply = async (operation: Operation) => {
      events.push(`apply ${tagOf(operation)}`);
      if (tagOf(operation) === 'b') throw new Error('no');
      return 'fine';
    };
    await executeOperations([op('k:1', 'a'), op('k:1', 'b')], apply, {
      concurrency: 1,
      onStart: (index) => events.push(`start ${index}`),
      onSettled: (index, outcome) => events.push(`settled ${index} ${outcome.status} ${outcome.note ?? '-'}`),
    });
    expect(events).toEqual(['start 0', 'apply a', 'settled 0 done fine', 'start 1', 'apply b', 'settled 1 failed -']);
  });

  it('starts first the chains holding an operation marked first, keeping plan order otherwise, and outcomes in plan order', async () => {
    const operations = [
      opOfKind('create-license', 'license:n1', 'n1'),
      opOfKind('create-license', 'license:n2', 'n2'),
      opOfKind('update-created-by', 'license:x', 'x1'),
      opOfKind('create-license', 'license:n3', 'n3'),
      op('license:b1', 'b1'),
      opOfKind('activate', 'license:a1', 'a1'),
      opOfKind('delete-license', 'license:d1', 'd1'),
      op('license:x', 'x2'),
      opOfKind('create-license', 'license:n4', 'n4'),
    ];
    const rec = recorder(() => 1);

    const outcomes = await executeOperations(operations, rec.apply, { concurrency: 1, first: closesAccess });

    // The chain of license:x holds a block: it starts early, its own operations still in plan order.
    expect(rec.events.filter((event) => event.startsWith('start')).map((event) => event.slice(6))).toEqual(['x1', 'x2', 'b1', 'd1', 'n1', 'n2', 'n3', 'a1', 'n4']);
    expect(outcomes.map((outcome) => outcome.operation)).toEqual(operations);
    expect(outcomes.every((outcome) => outcome.status === 'done')).toBe(true);
  });

  it('without `first`, starts chains in plan order', async () => {
    const operations = [opOfKind('create-license', 'license:n1', 'n1'), op('license:b1', 'b1'), opOfKind('delete-license', 'license:d1', 'd1')];
    const rec = recorder(() => 1);

    await executeOperations(operations, rec.apply, { concurrency: 1 });

    expect(rec.events.filter((event) => event.startsWith('start'))).toEqual(['start n1', 'start b1', 'start d1']);
  });
});

describe('closesAccess', () => {
  it('is true of the operations that take access away: block and delete-license', () => {
    const kinds = (['create-license', 'activate', 'delete-license', 'update-created-by'] as const).map((kind) => opOfKind(kind, 'license:k', 'k'));
    const all: Operation[] = [
      ...kinds,
      op('license:k', 'k'),
      { server: 'backup', kind: 'update-license', key: 'license:k', reason: { code: 'backup-only' }, body: { device_id: 'k', license_type: 'anual', owner_name: null, cpf: null, email: null, address: null, created_by: 'admin' } },
      { server: 'backup', kind: 'create-user', key: 'user:u', reason: { code: 'backup-only' }, username: 'u', email: null, role: 'user' },
    ];
    expect(Object.fromEntries(all.map((operation) => [operation.kind, closesAccess(operation)]))).toEqual({
      'create-license': false,
      activate: false,
      'delete-license': true,
      'update-created-by': false,
      block: true,
      'update-license': false,
      'create-user': false,
    });
  });
});

describe('executeOperations with answers lost', () => {
  it('an operation that may have been applied (every answer lost) is unknown, not failed; a plain failure stays failed', async () => {
    const lost = newServerError({ server: 'backup', endpoint: 'POST /admin/devices/:device_id/deactivate', key: 'L', kind: 'network', status: null, reason: 'connection reset (ECONNRESET)', attempts: 6, mayHaveBeenApplied: true });
    const refused = newServerError({ server: 'backup', endpoint: 'POST /admin/devices/:device_id/deactivate', key: 'R', kind: 'rejected', status: 400, reason: 'HTTP 400' });
    const outcomes = await executeOperations(
      [op('license:L', 'L'), op('license:R', 'R'), op('license:D', 'D')],
      (operation) => (tagOf(operation) === 'L' ? Promise.reject(lost) : tagOf(operation) === 'R' ? Promise.reject(refused) : Promise.resolve(null)),
      { concurrency: 1 },
    );
    expect(outcomes.map((outcome) => `${tagOf(outcome.operation)} ${outcome.status}`)).toEqual(['L unknown', 'R failed', 'D done']);
    expect(outcomes[0]?.error).toBe(lost);
  });
});
