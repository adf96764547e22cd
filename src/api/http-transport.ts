import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import axios, { type AxiosInstance } from 'axios';
import type { HttpAnswer } from './http-answer.js';

export interface TransportOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** PEM bundle of a private CA; certificates are always verified. */
  readonly ca: string | null;
  readonly maxSockets: number;
  /** Answers longer than this are refused; DEFAULT_MAX_ANSWER_BYTES when not given. */
  readonly maxAnswerBytes?: number;
}

export const BYTES_PER_MB = 1024 * 1024;
export const DEFAULT_MAX_ANSWER_BYTES = 128 * BYTES_PER_MB;

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly token: string | null;
  readonly body?: unknown;
  readonly timeoutMs?: number;
  /** Aborts the request early (on top of the timeout). */
  readonly signal?: AbortSignal;
}

/** Raised when no HTTP answer arrived; `code` is the socket error code or `TIMEOUT`. */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
  constructor(readonly code: string) {
    super(code);
  }
}

/** Raised when an answer is, or declares it will be, longer than the transport accepts; its body was abandoned unread. */
export class AnswerTooLargeError extends Error {
  override name = 'AnswerTooLargeError';
  constructor(
    readonly status: number,
    readonly maxBytes: number,
  ) {
    super(`answer larger than ${maxBytes} bytes`);
  }
}

/**
 * Sends one request over keep-alive connections and returns the raw answer.
 * Knows nothing about retries or the API; never throws the HTTP library's own
 * error objects (they carry request headers, hence tokens).
 */
export class HttpTransport {
  private readonly axios: AxiosInstance;
  private readonly maxAnswerBytes: number;
  requests = 0;

  constructor(private readonly options: TransportOptions) {
    this.maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    this.axios = axios.create({
      baseURL: options.baseUrl,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
      httpsAgent: new https.Agent({
        keepAlive: true,
        maxSockets: options.maxSockets,
        // Explicit, because NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment changes only the default.
        rejectUnauthorized: true,
        // A private CA is trusted on top of the usual public ones (Node's `ca` would replace them).
        ...(options.ca ? { ca: [...tls.rootCertificates, options.ca] } : {}),
      }),
      // A stream, decoded here: axios' text mode keeps a copy of the raw bytes
      // alive beside the string, which a 50 MB listing makes expensive.
      responseType: 'stream',
      validateStatus: () => true,
      // -1, not Infinity: any limit makes axios wrap the stream in a copy that
      // cannot be destroyed while it waits for data; ours is in readText.
      maxContentLength: -1,
      maxBodyLength: -1,
      maxRedirects: 0,
    });
  }

  async send(request: HttpRequest): Promise<HttpAnswer> {
    this.requests += 1;
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    try {
      const response = await this.axios.request<Readable>({
        method: request.method,
        url: request.path,
        headers: {
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(request.token === null ? {} : { authorization: `Bearer ${request.token}` }),
        },
        ...(request.body === undefined ? {} : { data: JSON.stringify(request.body) }),
        timeout: timeoutMs,
        signal: request.signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), request.signal]) : AbortSignal.timeout(timeoutMs),
      });
      const header = (name: string): string | undefined => {
        const value: unknown = response.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      return {
        status: response.status,
        contentType: header('content-type') ?? '',
        body: await readText(response.data, response.status, Number(header('content-length')), this.maxAnswerBytes, () => {
          // The request too: with a decompressing stream between, the socket is further down.
          response.data.destroy();
          (response.request as http.ClientRequest | undefined)?.destroy();
        }),
        retryAfter: header('retry-after'),
      };
    } catch (error) {
      if (error instanceof AnswerTooLargeError) throw error;
      throw new NoAnswerError(noAnswerCode(error));
    }
  }

  close(): void {
    for (const agent of [this.axios.defaults.httpAgent, this.axios.defaults.httpsAgent] as (http.Agent | undefined)[]) agent?.destroy();
  }
}

async function readText(stream: Readable, status: number, declaredLength: number, maxBytes: number, abandon: () => void): Promise<string> {
  const tooLarge = () => {
    abandon();
    return new AnswerTooLargeError(status, maxBytes);
  };
  const declared = Number.isSafeInteger(declaredLength) && declaredLength > 0 ? declaredLength : null;
  if (declared !== null && declared > maxBytes) throw tooLarge();
  // One buffer of the announced size, filled as chunks arrive: the socket's
  // chunks are released at once instead of piling up until the body is whole.
  let buffer = Buffer.allocUnsafe(declared ?? Math.min(64 * 1024, maxBytes));
  let length = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    if (length + bytes.length > maxBytes) throw tooLarge();
    if (length + bytes.length > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(buffer.length * 2, length + bytes.length)));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    bytes.copy(buffer, length);
    length += bytes.length;
  }
  return buffer.toString('utf8', 0, length);
}

function noAnswerCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'ERROR';
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (name === 'CanceledError' || name === 'AbortError' || code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') return 'TIMEOUT';
  // Node 20 reports OpenSSL's reason only in the message: "https to a plain-http port" is told apart here, by the code newer Nodes give it.
  if (code === 'EPROTO' && typeof message === 'string') {
    const reason = /wrong version number|packet length too long|http request/i.exec(message)?.[0];
    if (reason !== undefined) return `ERR_SSL_${reason.toUpperCase().replaceAll(' ', '_')}`;
  }
  return typeof code === 'string' ? code : 'ERROR';
}
