import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchRoute } from './api-routes.js';
import type { ApiContext } from './api-context.js';
import type { ApiRequest, ApiResponse } from './api-types.js';
import { EmulatorClock } from './clock.js';
import { CONTROL_PREFIX, CONTROL_SECRET_HEADER, handleControl, type ControlContext } from './control-routes.js';
import type { Dataset } from './dataset/dataset-file.js';
import { EmulatorStats } from './emulator-stats.js';
import { FaultInjector, type InjectedFailure } from './fault-injector.js';
import type { FaultSettingsInput } from './fault-settings.js';
import { encodeFlaskBody, encodeListing } from './flask-json.js';
import { INTERNAL_SERVER_ERROR_PAGE } from './html-pages.js';
import type { EncodedBody } from './listing-corruption.js';
import { EmulatorStore } from './store.js';
import { TokenSigner } from './tokens.js';
import { isWriteRoute } from './emulator-stats.js';
import { WriteLog, writeKey, type WriteEntry } from './write-log.js';

/** An API request as the server received it, for a test's interceptor. */
export interface InterceptedRequest {
  readonly method: string;
  /** The path exactly as sent on the wire, percent-encoding included. */
  readonly rawPath: string;
  /** The percent-decoded path. */
  readonly path: string;
  readonly query: string;
  /** The route's name, e.g. `POST /admin/devices/:device_id/deactivate`, or `GET (not found)`. */
  readonly route: string;
  readonly body: unknown;
}

/** What an interceptor sends instead of the server's answer: a body, or a reset connection. */
export type InterceptAnswer =
  | { readonly status: number; readonly contentType?: string; readonly body: string | Buffer; readonly headers?: Readonly<Record<string, string>> }
  | 'reset';

/**
 * Sees every API request (not the test's own observations) before faults and
 * handler; may hold it (return a promise), or answer in the server's place.
 * Returning nothing lets the request go on as usual.
 */
export type RequestInterceptor = (request: InterceptedRequest) => InterceptAnswer | undefined | Promise<InterceptAnswer | undefined>;

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Start from this data; without it the server is fresh (only `admin` / `admin123`). */
  readonly dataset?: Dataset;
  /** A fixed clock; real time when absent. */
  readonly now?: Date;
  readonly faults?: FaultSettingsInput;
  /** The secret of the control endpoint; random when absent. */
  readonly controlSecret?: string;
  /** Whether the server sends welcome e-mails (they are only counted). Default true. */
  readonly emailConfigured?: boolean;
}

export interface RunningEmulator {
  readonly url: string;
  readonly port: number;
  readonly controlSecret: string;
  /** The current data, as a dataset (what `--dump` writes). */
  dataset(): Dataset;
  /** Installs (or with null removes) the request interceptor. */
  intercept(interceptor: RequestInterceptor | null): void;
  /** The writes handled since the start or the last statistics reset. */
  writes(): { readonly writes: readonly WriteEntry[]; readonly dropped: number };
  close(): Promise<void>;
}

const MAX_API_BODY_BYTES = 16 * 1024 * 1024;
// A dataset of 100,000 licenses is about 50 MB.
const MAX_CONTROL_BODY_BYTES = 1024 * 1024 * 1024;

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

/** The request body: absent, parsed JSON, or present but not JSON. */
type RequestBody = { readonly kind: 'absent' } | { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'invalid' };

async function readBody(req: IncomingMessage, maxBytes: number): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new RangeError('request body too large');
    chunks.push(chunk);
  }
  if (size === 0) return { kind: 'absent' };
  try {
    return { kind: 'json', value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { kind: 'invalid' };
  }
}

/** What makes a retry the same request as its first attempt: method, path, query and body. */
function requestIdentity(method: string, rawPath: string, query: string, body: RequestBody): string {
  return `${method} ${rawPath}?${query} ${body.kind === 'json' ? JSON.stringify(body.value) : body.kind}`;
}

/** Flask's `request.get_json(silent=True) or {}`: anything but a JSON object reads as `{}`. */
function apiBody(body: RequestBody): Record<string, unknown> {
  const value = body.kind === 'json' ? body.value : undefined;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string | Buffer,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendFailure(res: ServerResponse, failure: InjectedFailure): void {
  if (failure.kind === 'reset') res.socket?.resetAndDestroy();
  else send(res, failure.page.status, 'text/html; charset=utf-8', failure.page.html, failure.headers);
}

function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Starts an emulated license server on loopback. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  let store = options.dataset ? EmulatorStore.fromDataset(options.dataset) : EmulatorStore.fresh();
  const clock = new EmulatorClock(options.now ?? null);
  const tokens = new TokenSigner();
  const stats = new EmulatorStats();
  const writeLog = new WriteLog();
  let interceptor: RequestInterceptor | null = null;
  const controlSecret = options.controlSecret ?? randomBytes(16).toString('hex');
  const emailConfigured = options.emailConfigured ?? true;
  const faults = new FaultInjector({ record: (fault) => stats.countFault(fault), revokeTokens: () => tokens.rotate() });
  faults.configure(options.faults ?? {});

  const apiContext = (): ApiContext => ({
    store,
    clock,
    tokens,
    sendWelcomeEmail: (to) => {
      if (emailConfigured) stats.countEmail(to);
    },
  });
  const controlContext: ControlContext = {
    faults,
    clock,
    tokens,
    stats,
    writeLog,
    getStore: () => store,
    replaceStore: (next) => {
      store = next;
    },
  };

  const encode = (response: Exclude<ApiResponse, { kind: 'html' }>): EncodedBody => {
    if (response.kind === 'json') return { status: response.status, contentType: 'application/json', text: encodeFlaskBody(response.body) };
    return (
      faults.corruptListing(response.endpoint, response.items) ?? {
        status: 200,
        contentType: 'application/json',
        text: encodeListing(response.items),
      }
    );
  };

  const serveApi = async (req: IncomingMessage, res: ServerResponse, rawPath: string, query: string): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = decodePath(rawPath);
    const route = matchRoute(method, path);
    // The test's own observations (sampling /verify while a sync runs) carry the control secret: never faulted, intercepted or counted.
    const observer = secretMatches(req.headers[CONTROL_SECRET_HEADER], controlSecret);
    if (!observer) stats.countRequest(route.name);
    const body = await readBody(req, MAX_API_BODY_BYTES);
    if (!observer && interceptor !== null) {
      const answer = await interceptor({ method, rawPath, path, query, route: route.name, body: body.kind === 'json' ? body.value : undefined });
      if (answer === 'reset') return void res.socket?.resetAndDestroy();
      if (answer !== undefined) return send(res, answer.status, answer.contentType ?? 'application/json', answer.body, answer.headers);
    }
    const decision = observer ? {} : await faults.beforeRequest(method, requestIdentity(method, rawPath, query, body));
    if (decision.before) return sendFailure(res, decision.before);

    const apiRequest: ApiRequest = {
      method,
      path,
      query: new URLSearchParams(query),
      headers: req.headers,
      body: apiBody(body),
      remoteAddress: req.socket.remoteAddress ?? null,
    };
    const logWrite = isWriteRoute(route.name) ? writeLog.begin(route.name, writeKey(route.name, path, apiRequest.body), store) : null;
    const response = route.run(apiContext(), apiRequest);
    logWrite?.(response.kind === 'html' ? response.page.status : response.kind === 'json' ? response.status : 200, clock.today(), decision.after !== undefined);
    if (decision.after) return sendFailure(res, decision.after);
    if (response.kind === 'html') {
      send(res, response.page.status, 'text/html; charset=utf-8', response.page.html, response.headers);
      return;
    }
    const encoded = encode(response);
    send(res, encoded.status, encoded.contentType, encoded.text);
  };

  const serveControl = async (req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> => {
    if (!secretMatches(req.headers[CONTROL_SECRET_HEADER], controlSecret)) {
      send(res, 403, 'application/json', `${JSON.stringify({ error: 'control secret missing or wrong' })}\n`);
      return;
    }
    const body = await readBody(req, MAX_CONTROL_BODY_BYTES);
    // A typo in a test's fault settings must not read as "no faults".
    const answer =
      body.kind === 'invalid'
        ? { status: 400, body: { error: 'the request body is not valid JSON' } }
        : handleControl(controlContext, req.method ?? 'GET', rawPath, body.kind === 'json' ? body.value : undefined);
    send(res, answer.status, 'application/json', `${JSON.stringify(answer.body)}\n`);
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
    const served = rawPath.startsWith(CONTROL_PREFIX) ? serveControl(req, res, rawPath) : serveApi(req, res, rawPath, query);
    served.catch(() => {
      if (!res.headersSent) send(res, 500, 'text/html; charset=utf-8', INTERNAL_SERVER_ERROR_PAGE.html);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    controlSecret,
    dataset: () => store.toDataset(),
    intercept: (next) => {
      interceptor = next;
    },
    writes: () => writeLog.snapshot(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
