import { createServer, type IncomingMessage, type Server } from 'node:http';

// A real HTTP server on loopback standing in for a webhook receiver (Discord,
// Slack, any JSON endpoint) and a dead-man's-switch service (healthchecks.io):
// it records every request and answers with a configurable status.

export interface ReceivedRequest {
  readonly method: string;
  /** The path without the query string, e.g. `/ping/<uuid>/start`. */
  readonly path: string;
  /** The query string parameters. */
  readonly query: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  /** When the request arrived (ms since the epoch). */
  readonly at: number;
}

export interface HttpReceiver {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  /** Every request received so far, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** The requests whose path starts with `prefix`. */
  received(prefix: string): ReceivedRequest[];
  /** The status every request is answered with from now on (default 200). */
  answerWith(status: number): void;
  /** Forgets the requests received so far. */
  clear(): void;
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    void readBody(req).then(
      (body) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        requests.push({
          method: req.method ?? '',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          contentType: req.headers['content-type'],
          body,
          json: parseJson(body),
          at: Date.now(),
        });
        res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
        res.end(status < 300 ? 'OK' : 'error');
      },
      () => {
        res.writeHead(400);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the receiver has no port');
  const port = address.port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    received: (prefix) => requests.filter((request) => request.path.startsWith(prefix)),
    answerWith: (code) => {
      status = code;
    },
    clear: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
