// Builds LicenseApiClients for the API tests: tiny retry delays, a log sink
// that keeps every line, and the secrets the client reports.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { ApiError } from '../../../src/api/api-error.js';
import { LicenseApiClient, type ClientOptions, type RetryPolicy, type ServerAccount } from '../../../src/api/license-api-client.js';
import type { LogSink } from '../../../src/log/log-sink.js';
import type { Dataset } from '../../../src/emulator/dataset/dataset-file.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import { freshDataset } from '../../support/license-api-helpers.js';

export const ADMIN = { username: 'admin', password: 'admin123' } as const;

/** Tiny delays so that retried tests stay fast. */
export const FAST_RETRY: RetryPolicy = { attempts: 4, minDelayMs: 5, maxDelayMs: 20 };

export interface RecordingLog extends LogSink {
  readonly lines: string[];
}

export function recordingLog(): RecordingLog {
  const lines: string[] = [];
  return {
    lines,
    debug: (message) => lines.push(`debug ${message}`),
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
}

export interface TestClient {
  readonly client: LicenseApiClient;
  readonly log: RecordingLog;
  /** Every secret the client reported through `onSecret` (tokens). */
  readonly secrets: string[];
}

export interface ClientSetup {
  readonly url: string;
  readonly name?: ServerAccount['name'];
  readonly username?: string;
  readonly password?: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
  readonly maxSockets?: number;
  readonly maxAnswerBytes?: number;
  readonly concurrency?: ClientOptions['concurrency'];
  /** The run's stop: once aborted, reads and logins are abandoned. */
  readonly stop?: AbortSignal;
}

const opened: LicenseApiClient[] = [];

/** Closes every client made by `makeClient` after each test of the file that calls this. */
export function closeClientsAfterEach(): void {
  afterEach(() => {
    for (const client of opened.splice(0)) client.close();
  });
}

export function makeClient(setup: ClientSetup): TestClient {
  const log = recordingLog();
  const secrets: string[] = [];
  const client = new LicenseApiClient({
    account: {
      name: setup.name ?? 'backup',
      url: setup.url,
      username: setup.username ?? ADMIN.username,
      password: setup.password ?? ADMIN.password,
    },
    timeoutMs: setup.timeoutMs ?? 5_000,
    retry: { ...FAST_RETRY, ...setup.retry },
    ca: null,
    maxSockets: setup.maxSockets ?? 16,
    ...(setup.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: setup.maxAnswerBytes }),
    ...(setup.concurrency === undefined ? {} : { concurrency: setup.concurrency }),
    ...(setup.stop === undefined ? {} : { stop: setup.stop }),
    log,
    onSecret: (secret) => secrets.push(secret),
  });
  opened.push(client);
  return { client, log, secrets };
}

/** The rejection of `work`, which must be an ApiError. */
export async function apiErrorOf(work: Promise<unknown>): Promise<ApiError> {
  let outcome: unknown;
  try {
    await work;
    outcome = new Error('expected the call to fail, it succeeded');
  } catch (error) {
    outcome = error;
  }
  if (!(outcome instanceof ApiError)) throw outcome instanceof Error ? outcome : new Error(String(outcome));
  return outcome;
}

/** Requests per route the emulator received since its statistics were last reset. */
export async function requestsByRoute(handle: EmulatorHandle): Promise<Record<string, number>> {
  return (await handle.control.stats()).requests;
}

/** Heals the emulator, replaces its data with a fresh server's and clears its statistics. */
export async function resetEmulator(handle: EmulatorHandle, dataset: Dataset = freshDataset()): Promise<void> {
  await handle.control.setFaults({});
  await handle.control.loadState(dataset);
  await handle.control.resetStats();
}

/** A loopback URL on which nothing listens (the port was free a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return `http://127.0.0.1:${port}`;
}

export interface ScriptedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: string;
  /** When the request arrived (Date.now()). */
  readonly at: number;
}

export interface ScriptedAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ScriptedServer {
  readonly url: string;
  readonly requests: ScriptedRequest[];
  count(method: string, path: string): number;
  close(): Promise<void>;
}

/**
 * A real HTTP server on loopback whose answers a test scripts, for the answers
 * the emulator (faithful to the real server) never gives: JSON of the wrong
 * shape, a status change that did not happen, a 401 that survives a new login.
 */
export async function scriptedServer(answer: (request: ScriptedRequest) => ScriptedAnswer): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ScriptedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(request);
      const reply = answer(request);
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(text), ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (method, path) => requests.filter((request) => request.method === method && request.path === path).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
