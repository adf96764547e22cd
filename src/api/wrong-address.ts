import { isLoopbackHost } from '../config/server-url.js';
import type { ApiError } from './api-error.js';
import type { HttpAnswer } from './http-answer.js';

// What waiting for a server to wake up cannot fix. A sleeping free-tier server
// answers 502/503/504 pages (or its tunnel's 530 page), holds the request, or
// refuses or resets connections at its proxy: those are waited out. A name that
// does not resolve, a TLS failure, a port that speaks the other protocol,
// nothing listening on this machine, or an answer that is not the license API
// are mistakes in the URL: the wait stops at once and says so.

/** A mistake in the URL, read from what one /health poll met. */
export type WrongAddress =
  | { readonly mistake: 'host-not-found'; readonly host: string }
  | { readonly mistake: 'host-lookup-failing'; readonly host: string; readonly tries: number }
  | { readonly mistake: 'tls-certificate'; readonly code: string }
  | { readonly mistake: 'https-to-plain-http' }
  | { readonly mistake: 'tls-handshake'; readonly code: string }
  | { readonly mistake: 'http-to-https'; readonly evidence: 'not-http' | 'reset' | 'https-port-page'; readonly detail: string }
  | { readonly mistake: 'reset-on-loopback'; readonly port: string; readonly tries: number }
  | { readonly mistake: 'refused-on-loopback'; readonly port: string }
  | { readonly mistake: 'redirect'; readonly status: number }
  | { readonly mistake: 'not-the-api'; readonly answer: string };

/**
 * Failures that may pass (a resolver that timed out, a local server restarting)
 * count as a mistake only after this many polls in a row met them: two quick
 * retries (polls are 2 s apart), then stop.
 */
export const TRIES_BEFORE_GIVING_UP = 3;

/** Status codes that a sleeping or overloaded server, or its proxy, may answer with: waited out. */
function isSleepingStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

const TLS_CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
/** OpenSSL's words when the other side answered something that is not TLS (a plain-http port). */
export const NOT_TLS_CODES: readonly string[] = ['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST'];
const HTTPS_PORT_PAGE = /plain HTTP request was sent to HTTPS port|speaking plain HTTP to an SSL-enabled server port/i;

/**
 * Reads each /health poll that did not find the server awake: null while
 * waiting may still help, the mistake once it cannot. Keeps the streak of the
 * same transient failure, poll after poll.
 */
export class WakeVerdicts {
  private readonly url: URL;
  private readonly loopback: boolean;
  private streak = { code: '', count: 0 };

  constructor(url: string) {
    this.url = new URL(url);
    this.loopback = isLoopbackHost(this.url.hostname);
  }

  /** A poll that got no HTTP answer: `code` is the socket or TLS error code, or `TIMEOUT`. */
  noAnswer(code: string): WrongAddress | null {
    const tries = this.count(code);
    const host = this.url.hostname;
    if (code === 'ENOTFOUND') return { mistake: 'host-not-found', host };
    if (code === 'EAI_AGAIN') return tries >= TRIES_BEFORE_GIVING_UP ? { mistake: 'host-lookup-failing', host, tries } : null;
    if (NOT_TLS_CODES.includes(code)) return { mistake: 'https-to-plain-http' };
    if (TLS_CERTIFICATE.test(code)) return { mistake: 'tls-certificate', code };
    if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return { mistake: 'tls-handshake', code };
    // An HTTP parser that met bytes that are not HTTP: a TLS alert, most likely.
    if (code.startsWith('HPE_')) return this.url.protocol === 'http:' ? { mistake: 'http-to-https', evidence: 'not-http', detail: code } : { mistake: 'not-the-api', answer: code };
    if (!this.loopback) return null;
    if (code === 'ECONNREFUSED') return { mistake: 'refused-on-loopback', port: this.port() };
    if (code === 'ECONNRESET' && tries >= TRIES_BEFORE_GIVING_UP) {
      return this.url.protocol === 'http:'
        ? { mistake: 'http-to-https', evidence: 'reset', detail: String(tries) }
        : { mistake: 'reset-on-loopback', port: this.port(), tries };
    }
    return null;
  }

  /** A poll answered with something other than the contract's 200 `{"status":"ok"}`; `refusal` says what. */
  answer(answer: HttpAnswer, refusal: ApiError): WrongAddress | null {
    this.count(`HTTP ${answer.status}`);
    if (isSleepingStatus(answer.status)) return null;
    if (this.url.protocol === 'http:' && HTTPS_PORT_PAGE.test(answer.body.slice(0, 4096))) {
      return { mistake: 'http-to-https', evidence: 'https-port-page', detail: String(answer.status) };
    }
    if (answer.status >= 300 && answer.status < 400) return { mistake: 'redirect', status: answer.status };
    return { mistake: 'not-the-api', answer: refusal.reason };
  }

  private count(code: string): number {
    this.streak = code === this.streak.code ? { code, count: this.streak.count + 1 } : { code, count: 1 };
    return this.streak.count;
  }

  private port(): string {
    return this.url.port !== '' ? this.url.port : this.url.protocol === 'https:' ? '443' : '80';
  }
}
