import type { Dataset } from './dataset/dataset-file.js';
import type { EmulatorStatsSnapshot } from './emulator-stats.js';
import type { FaultSettings, FaultSettingsInput } from './fault-settings.js';
import type { WriteEntry } from './write-log.js';
import { CONTROL_SECRET_HEADER } from './control-routes.js';

export interface EmulatorStatsAnswer extends EmulatorStatsSnapshot {
  readonly records: { adminUsers: number; users: number; devices: number };
}

/** Drives a running emulator's control endpoint (tests, the demo and benchmarks). */
export class EmulatorControl {
  constructor(
    readonly url: string,
    private readonly secret: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/_emulator${path}`, {
      method,
      headers: { [CONTROL_SECRET_HEADER]: this.secret, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(`emulator control ${method} ${path}: ${response.status} ${answer.error ?? ''}`);
    return answer;
  }

  faults(): Promise<FaultSettings> {
    return this.call('GET', '/faults');
  }

  /** Replaces every fault setting; `{}` heals the server. */
  setFaults(settings: FaultSettingsInput): Promise<FaultSettings> {
    return this.call('PUT', '/faults', settings);
  }

  rotateSecret(): Promise<{ rotated: true }> {
    return this.call('POST', '/rotate-secret');
  }

  /** The tokens the server issued lately, for tests that check they never leak. */
  async issuedTokens(): Promise<readonly string[]> {
    return (await this.call<{ tokens: string[] }>('GET', '/tokens')).tokens;
  }

  setClock(clock: { now: string | null } | { today: string }): Promise<{ now: string; today: string; fixed: boolean }> {
    return this.call('PUT', '/clock', clock);
  }

  state(): Promise<Dataset> {
    return this.call('GET', '/state');
  }

  loadState(dataset: Dataset): Promise<{ adminUsers: number; users: number; devices: number }> {
    return this.call('PUT', '/state', dataset);
  }

  stats(): Promise<EmulatorStatsAnswer> {
    return this.call('GET', '/stats');
  }

  /** Every write handled since the last statistics reset, in order (the oldest are dropped past 500,000). */
  writes(): Promise<{ writes: WriteEntry[]; dropped: number }> {
    return this.call('GET', '/writes');
  }

  /** Clears the request statistics and the write log. */
  resetStats(): Promise<{ reset: true }> {
    return this.call('POST', '/stats/reset');
  }
}
