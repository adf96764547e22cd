import { redactUrlCredentials } from '../config/server-url.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import { AnswerTooLargeError, BYTES_PER_MB, NoAnswerError } from './http-transport.js';
import { NOT_TLS_CODES, type WrongAddress } from './wrong-address.js';

// The words for requests that got no usable answer, in the run's language.

const NO_ANSWER: Readonly<Record<string, MessageKey>> = {
  ECONNREFUSED: 'api:noAnswer.ECONNREFUSED',
  ECONNRESET: 'api:noAnswer.ECONNRESET',
  EPIPE: 'api:noAnswer.EPIPE',
  ENOTFOUND: 'api:noAnswer.ENOTFOUND',
  EAI_AGAIN: 'api:noAnswer.EAI_AGAIN',
  EHOSTUNREACH: 'api:noAnswer.EHOSTUNREACH',
  ENETUNREACH: 'api:noAnswer.ENETUNREACH',
  EPROTO: 'api:noAnswer.EPROTO',
  CERT_HAS_EXPIRED: 'api:noAnswer.CERT_HAS_EXPIRED',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'api:noAnswer.DEPTH_ZERO_SELF_SIGNED_CERT',
  SELF_SIGNED_CERT_IN_CHAIN: 'api:noAnswer.SELF_SIGNED_CERT_IN_CHAIN',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'api:noAnswer.UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'api:noAnswer.UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  ERR_TLS_CERT_ALTNAME_INVALID: 'api:noAnswer.ERR_TLS_CERT_ALTNAME_INVALID',
  ERR_BAD_RESPONSE: 'api:noAnswer.ERR_BAD_RESPONSE',
};

/** `connection refused (ECONNREFUSED)`, `no answer within 30 s`: why a request got no answer. */
export function sendErrorText(error: unknown, timeoutMs: number): string {
  if (error instanceof AnswerTooLargeError) {
    return Number.isInteger(error.maxBytes / BYTES_PER_MB)
      ? t('api:answer.tooLargeMb', { mb: error.maxBytes / BYTES_PER_MB })
      : t('api:answer.tooLargeBytes', { bytes: error.maxBytes });
  }
  const code = error instanceof NoAnswerError ? error.code : 'ERROR';
  if (code === 'TIMEOUT') return t('api:noAnswer.timeout', { seconds: timeoutMs / 1000 });
  return t('api:noAnswer.withCode', { what: noAnswerWhat(code), code });
}

function noAnswerWhat(code: string): string {
  const key = NO_ANSWER[code];
  if (key !== undefined) return t(key);
  if (NOT_TLS_CODES.includes(code)) return t('api:noAnswer.notTls');
  if (code.startsWith('HPE_')) return t('api:noAnswer.notHttp');
  if (/CERT/.test(code)) return t('api:noAnswer.otherCertificate');
  return t('api:noAnswer.unknown');
}

/** `https://x.invalid: the host name x.invalid does not exist (...). Waiting cannot fix this: check the URL.` */
export function wrongAddressText(wrong: WrongAddress, url: string): string {
  return t('api:wake.wrongAddress', { url: redactUrlCredentials(url), mistake: mistakeText(wrong) });
}

function mistakeText(wrong: WrongAddress): string {
  switch (wrong.mistake) {
    case 'host-not-found':
      return t('api:wake.mistake.hostNotFound', { host: wrong.host });
    case 'host-lookup-failing':
      return t('api:wake.mistake.hostLookupFailing', { host: wrong.host, count: wrong.tries });
    case 'tls-certificate':
      return t('api:wake.mistake.tlsCertificate', { detail: noAnswerWhat(wrong.code), code: wrong.code });
    case 'https-to-plain-http':
      return t('api:wake.mistake.httpsToPlainHttp');
    case 'tls-handshake':
      return t('api:wake.mistake.tlsHandshake', { code: wrong.code });
    case 'http-to-https':
      return t(HTTP_TO_HTTPS[wrong.evidence], { detail: wrong.detail });
    case 'reset-on-loopback':
      return t('api:wake.mistake.resetOnLoopback', { port: wrong.port, count: wrong.tries });
    case 'refused-on-loopback':
      return t('api:wake.mistake.refusedOnLoopback', { port: wrong.port });
    case 'redirect':
      return t('api:wake.mistake.redirect', { status: wrong.status });
    case 'not-the-api':
      return t('api:wake.mistake.notTheApi', { answer: wrong.answer });
  }
}

const HTTP_TO_HTTPS: Readonly<Record<Extract<WrongAddress, { mistake: 'http-to-https' }>['evidence'], MessageKey>> = {
  'not-http': 'api:wake.mistake.httpToHttps.notHttp',
  reset: 'api:wake.mistake.httpToHttps.reset',
  'https-port-page': 'api:wake.mistake.httpToHttps.httpsPortPage',
};
