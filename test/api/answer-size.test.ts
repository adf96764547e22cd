// Answers are bounded in size (--max-answer-mb): a declared length above the
// limit is refused before the body is read, a body growing past it is abandoned
// there, and neither is retried.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AnswerTooLargeError, HttpTransport } from '../../src/api/http-transport.js';
import { apiErrorOf, closeClientsAfterEach, makeClient } from './support/client-harness.js';

closeClientsAfterEach();

const LIMIT = 64 * 1024;

interface Served {
  readonly url: string;
  /** Resolves when the server sees the client close the connection before the answer was complete. */
  readonly abandoned: Promise<void>;
  /** Bytes of body the server managed to write. */
  written(): number;
}

let server: Server | undefined;
const transports: HttpTransport[] = [];
afterEach(async () => {
  for (const transport of transports.splice(0)) transport.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  }
});

/** A server answering login normally and every other request with `answer`. */
async function serve(answer: (response: ServerResponse, count: (bytes: number) => void) => void): Promise<Served> {
  let written = 0;
  let abandon = () => {};
  const abandoned = new Promise<void>((resolve) => (abandon = resolve));
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    if (request.url === '/admin/login') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t","role":"admin","must_change_password":false}');
      return;
    }
    response.on('close', () => {
      if (!response.writableFinished) abandon();
    });
    answer(response, (bytes) => (written += bytes));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, abandoned, written: () => written };
}

function transport(url: string, maxAnswerBytes = LIMIT): HttpTransport {
  const made = new HttpTransport({ baseUrl: url, timeoutMs: 5_000, ca: null, maxSockets: 2, maxAnswerBytes });
  transports.push(made);
  return made;
}

/** A listing of exactly `bytes` bytes: `{"items":[]}` padded with spaces. */
function listingOf(bytes: number): string {
  const json = '{"items":[]}';
  return json + ' '.repeat(bytes - json.length);
}

/** Writes `total` bytes in 4 KB chunks, without Content-Length (chunked), as the socket drains. */
function streamChunks(response: ServerResponse, total: number, count: (bytes: number) => void): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  let sent = 0;
  const next = () => {
    while (sent < total && !response.destroyed) {
      const size = Math.min(4096, total - sent);
      const chunk = ' '.repeat(size);
      sent += size;
      count(size);
      if (!response.write(chunk)) {
        response.once('drain', next);
        return;
      }
    }
    if (sent >= total && !response.destroyed) response.end();
  };
  response.write('{"items":[]}');
  count(12);
  sent = 12;
  next();
}

const GET_DEVICES = { method: 'GET', path: '/admin/devices', token: 't' } as const;

describe('HttpTransport with a maximum answer size', () => {
  it('refuses a declared Content-Length above the limit before reading the body', async () => {
    // Headers only: a transport that waited for the body would time out instead.
    const served = await serve((response) => response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(LIMIT + 1) }).flushHeaders());

    const started = Date.now();
    const error = await transport(served.url).send(GET_DEVICES).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AnswerTooLargeError);
    expect(error).toMatchObject({ status: 200, maxBytes: LIMIT });
    expect(Date.now() - started).toBeLessThan(2_000);
    await served.abandoned;
  });

  it('abandons a chunked body at the point it grows past the limit', async () => {
    // 4 KB every 2 ms, so that socket buffers do not fill ahead of the reader.
    const served = await serve((response, count) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => {
        if (response.destroyed) return clearInterval(timer);
        response.write(' '.repeat(4096));
        count(4096);
      }, 2);
    });

    const error = await transport(served.url).send(GET_DEVICES).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AnswerTooLargeError);
    await served.abandoned;
    expect(served.written()).toBeGreaterThan(LIMIT);
    expect(served.written()).toBeLessThan(2 * LIMIT);
  });

  it.each([
    ['with Content-Length', (response: ServerResponse) => response.writeHead(200, { 'content-type': 'application/json' }).end(listingOf(LIMIT))],
    ['chunked', (response: ServerResponse, count: (bytes: number) => void) => streamChunks(response, LIMIT, count)],
  ])('reads an answer of exactly the limit (%s)', async (_name, answer) => {
    const served = await serve(answer);

    const answered = await transport(served.url).send(GET_DEVICES);

    expect(answered.status).toBe(200);
    expect(Buffer.byteLength(answered.body)).toBe(LIMIT);
    expect(JSON.parse(answered.body)).toEqual({ items: [] });
  });

  it('refuses a chunked body one byte longer than the limit', async () => {
    const served = await serve((response, count) => streamChunks(response, LIMIT + 1, count));
    await expect(transport(served.url).send(GET_DEVICES)).rejects.toBeInstanceOf(AnswerTooLargeError);
  });

  it('limits error answers too', async () => {
    const served = await serve((response) => response.writeHead(503, { 'content-type': 'text/html' }).end(`<html>${'x'.repeat(LIMIT)}</html>`));
    await expect(transport(served.url).send(GET_DEVICES)).rejects.toMatchObject({ name: 'AnswerTooLargeError', status: 503 });
  });
});

describe('LicenseApiClient with a too large answer', () => {
  it('fails the listing at once, not retried: malformed, final, naming server, endpoint and the setting', async () => {
    let listings = 0;
    const served = await serve((response) => {
      listings += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(listingOf(1024 * 1024 + 1));
    });
    const { client } = makeClient({ url: served.url, retry: { attempts: 4 }, maxAnswerBytes: 1024 * 1024 });

    const error = await apiErrorOf(client.listLicenses());

    expect(error).toMatchObject({ kind: 'malformed', server: 'backup', endpoint: 'GET /admin/devices', status: 200, attempts: 1, transient: false });
    expect(error.reason).toBe('answer larger than 1 MB (--max-answer-mb)');
    expect(error.message).toBe('backup GET /admin/devices: answer larger than 1 MB (--max-answer-mb)');
    expect(listings).toBe(1);
  });

  it('flags a write whose answer was too large as possibly applied', async () => {
    const served = await serve((response) => response.writeHead(201, { 'content-type': 'application/json' }).end(listingOf(LIMIT + 1)));
    const { client } = makeClient({ url: served.url, retry: { attempts: 3 }, maxAnswerBytes: LIMIT });

    const error = await apiErrorOf(client.upsertLicense({ device_id: 'a', license_type: 'anual', owner_name: null, cpf: null, email: null, address: null, created_by: 'admin' }));

    expect(error).toMatchObject({ kind: 'malformed', status: 201, attempts: 1, mayHaveBeenApplied: true });
    expect(error.reason).toBe(`answer larger than ${LIMIT.toLocaleString('en')} bytes (--max-answer-mb)`);
  });

  it('reads an answer within the default limit (128 MB) when none is given', async () => {
    const served = await serve((response) => response.writeHead(200, { 'content-type': 'application/json' }).end(listingOf(2 * 1024 * 1024)));
    const { client } = makeClient({ url: served.url });

    await expect(client.listLicenses()).resolves.toEqual([]);
  });
});
