import { afterAll, beforeAll } from 'vitest';
import { EmulatorControl } from '../../src/emulator/control-client.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.js';
import { rawRequest, type RawRequest, type RawResponse } from './raw-http.js';

export interface EmulatorHandle {
  readonly emulator: RunningEmulator;
  readonly url: string;
  readonly control: EmulatorControl;
  /** A raw request to this emulator. */
  request(options: RawRequest): Promise<RawResponse>;
  /** Logs in and returns the token; fails the test when login does not succeed. */
  login(username?: string, password?: string): Promise<string>;
}

export async function openEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const emulator = await startEmulator(options);
  const request = (req: RawRequest) => rawRequest(emulator.url, req);
  return {
    emulator,
    url: emulator.url,
    control: new EmulatorControl(emulator.url, emulator.controlSecret),
    request,
    login: async (username = 'admin', password = 'admin123') => {
      const res = await request({ method: 'POST', path: '/admin/login', body: { username, password } });
      const token = (res.json as { token?: unknown } | undefined)?.token;
      if (res.status !== 200 || typeof token !== 'string') throw new Error(`login as ${username} failed: ${res.status} ${res.text}`);
      return token;
    },
  };
}

/**
 * One emulator for the whole test file, started before its tests and stopped
 * after. Read it inside tests (`handle()`), not at module load.
 */
export function useEmulator(options: EmulatorOptions = {}): () => EmulatorHandle {
  let handle: EmulatorHandle | undefined;
  beforeAll(async () => {
    handle = await openEmulator(options);
  });
  afterAll(async () => {
    await handle?.emulator.close();
  });
  return () => {
    if (!handle) throw new Error('the emulator has not started yet');
    return handle;
  };
}
