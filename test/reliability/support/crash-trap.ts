import { setImmediate as nextTurn } from 'node:timers/promises';
import { isWriteRoute } from '../../../src/emulator/emulator-stats.js';
import type { InterceptAnswer, InterceptedRequest, RunningEmulator } from '../../../src/emulator/server.js';
import { writeKey } from '../../../src/emulator/write-log.js';

// A trap on both emulators that catches the exact moment a crash test kills
// the CLI: when a request matches the trigger, that request (or its answer)
// and every request after it, to either server, are held. The run is frozen
// there while the test kills the process; then the held requests are
// released, to be done by the server after all or dropped.

export type TrapServer = 'primary' | 'backup';

/** An API request one of the servers received while the trap was set. */
export interface SeenRequest extends InterceptedRequest {
  readonly server: TrapServer;
  /** For a write: its number among the writes this server received while the trap was set (1-based); else null. */
  readonly writeNumber: number | null;
  /** The device_id or username a write names; null for reads. */
  readonly key: string | null;
  /** performance.now() when it arrived. */
  readonly at: number;
}

/** Whether this request is the moment to catch; `seen` holds every request so far, this one last. */
export type Trigger = (request: SeenRequest, seen: readonly SeenRequest[]) => boolean;

/** What happens to the request that springs the trap: held like the rest, or answered at once in the server's place. */
export type Catch = 'hold' | { readonly answer: Exclude<InterceptAnswer, 'reset'> };

/** What becomes of the held requests once the process is dead: done by the server (`serve`) or their connection reset (`drop`). */
export type Release = 'serve' | 'drop';

export interface CrashTrap {
  /** Resolves with the request that sprang the trap. */
  readonly sprung: Promise<SeenRequest>;
  /** Every request seen so far, in order of arrival. */
  seen(): readonly SeenRequest[];
  /** The requests held right now. */
  held(): readonly SeenRequest[];
  /** Lets every held request (and any still to come) go as `how` says; resolves once the server has handled them. */
  release(how: Release): Promise<void>;
  /** Takes the interceptors off both servers. */
  remove(): void;
}

export interface TrappedServers {
  readonly primary: RunningEmulator;
  readonly backup: RunningEmulator;
}

interface HeldRequest {
  readonly request: SeenRequest;
  readonly resolve: (answer: 'reset' | undefined) => void;
}

export function setCrashTrap(servers: TrappedServers, trigger: Trigger, caught: Catch = 'hold'): CrashTrap {
  const seen: SeenRequest[] = [];
  const held: HeldRequest[] = [];
  const writes: Record<TrapServer, number> = { primary: 0, backup: 0 };
  let state: 'armed' | 'frozen' | Release = 'armed';
  let spring: (request: SeenRequest) => void = () => undefined;
  const sprung = new Promise<SeenRequest>((resolve) => (spring = resolve));
  const answerFor = (how: Release) => (how === 'drop' ? 'reset' : undefined);
  const hold = (request: SeenRequest) => new Promise<'reset' | undefined>((resolve) => held.push({ request, resolve }));

  const interceptorFor = (server: TrapServer) => (incoming: InterceptedRequest) => {
    const write = isWriteRoute(incoming.route);
    const body = typeof incoming.body === 'object' && incoming.body !== null ? (incoming.body as Record<string, unknown>) : {};
    const request: SeenRequest = {
      ...incoming,
      server,
      writeNumber: write ? ++writes[server] : null,
      key: write ? writeKey(incoming.route, incoming.path, body) : null,
      at: performance.now(),
    };
    seen.push(request);
    if (state === 'armed' && trigger(request, seen)) {
      state = 'frozen';
      spring(request);
      return caught === 'hold' ? hold(request) : caught.answer;
    }
    if (state === 'frozen') return hold(request);
    return state === 'armed' ? undefined : answerFor(state);
  };
  servers.primary.intercept(interceptorFor('primary'));
  servers.backup.intercept(interceptorFor('backup'));

  return {
    sprung,
    seen: () => [...seen],
    held: () => held.map((entry) => entry.request),
    release: async (how) => {
      state = how;
      for (const entry of held.splice(0)) entry.resolve(answerFor(how));
      // A released request's handler runs in the microtasks after its interceptor resolves.
      await nextTurn();
    },
    remove: () => {
      servers.primary.intercept(null);
      servers.backup.intercept(null);
    },
  };
}
