import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error.js';
import type { HttpAnswer } from '../../src/api/http-answer.js';
import { TRIES_BEFORE_GIVING_UP, WakeVerdicts } from '../../src/api/wrong-address.js';

// Which /health polls end the wake-up at once (a mistake in the URL) and which
// are waited out (a sleeping server). The client's loop is proven against real
// sockets in wait-until-awake.test.ts and test/e2e/wrong-address.test.ts; here
// each rule, including those no loopback test can provoke (a remote host, a
// resolver that keeps failing).

const REMOTE = 'https://licencas.example.com';
const LOCAL = 'http://127.0.0.1:8080';

const answer = (status: number, body = '', contentType = 'text/html'): HttpAnswer => ({ status, body, contentType, retryAfter: undefined });
const refusal = (status: number, reason = `HTTP ${status} (HTML page)`) =>
  new ApiError({ server: 'backup', endpoint: 'GET /health', key: null, kind: 'rejected', status, reason });

describe('WakeVerdicts: polls that got no answer', () => {
  it('stops at the first ENOTFOUND, naming the host', () => {
    expect(new WakeVerdicts(REMOTE).noAnswer('ENOTFOUND')).toEqual({ mistake: 'host-not-found', host: 'licencas.example.com' });
  });

  it(`retries a failing lookup (EAI_AGAIN, maybe transient) and stops once ${TRIES_BEFORE_GIVING_UP} polls in a row failed`, () => {
    const verdicts = new WakeVerdicts(REMOTE);
    for (let poll = 1; poll < TRIES_BEFORE_GIVING_UP; poll++) expect(verdicts.noAnswer('EAI_AGAIN')).toBeNull();
    expect(verdicts.noAnswer('EAI_AGAIN')).toEqual({ mistake: 'host-lookup-failing', host: 'licencas.example.com', tries: TRIES_BEFORE_GIVING_UP });
  });

  it('counts only failing lookups in a row: another answer in between starts the count again', () => {
    const verdicts = new WakeVerdicts(REMOTE);
    expect(verdicts.noAnswer('EAI_AGAIN')).toBeNull();
    expect(verdicts.noAnswer('EAI_AGAIN')).toBeNull();
    expect(verdicts.answer(answer(503), refusal(503))).toBeNull();
    expect(verdicts.noAnswer('EAI_AGAIN')).toBeNull();
    expect(verdicts.noAnswer('EAI_AGAIN')).toBeNull();
    expect(verdicts.noAnswer('EAI_AGAIN')).not.toBeNull();
  });

  it('stops at TLS failures: certificates, a plain-http port, a failed handshake', () => {
    expect(new WakeVerdicts(REMOTE).noAnswer('DEPTH_ZERO_SELF_SIGNED_CERT')).toEqual({ mistake: 'tls-certificate', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(new WakeVerdicts(REMOTE).noAnswer('ERR_TLS_CERT_ALTNAME_INVALID')).toEqual({ mistake: 'tls-certificate', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(new WakeVerdicts(REMOTE).noAnswer('CERT_HAS_EXPIRED')).toEqual({ mistake: 'tls-certificate', code: 'CERT_HAS_EXPIRED' });
    expect(new WakeVerdicts(REMOTE).noAnswer('ERR_SSL_WRONG_VERSION_NUMBER')).toEqual({ mistake: 'https-to-plain-http' });
    expect(new WakeVerdicts(REMOTE).noAnswer('EPROTO')).toEqual({ mistake: 'tls-handshake', code: 'EPROTO' });
  });

  it('stops at an answer that is not HTTP: over http, the port expects https', () => {
    expect(new WakeVerdicts(LOCAL).noAnswer('HPE_INVALID_CONSTANT')).toEqual({ mistake: 'http-to-https', evidence: 'not-http', detail: 'HPE_INVALID_CONSTANT' });
    expect(new WakeVerdicts('http://api.example.com').noAnswer('HPE_INVALID_CONSTANT')).toMatchObject({ mistake: 'http-to-https' });
  });

  it.each(['http://127.0.0.1:8080', 'http://127.4.5.6:8080', 'http://localhost:8080', 'http://[::1]:8080'])('stops at a refused connection on this machine (%s)', (url) => {
    expect(new WakeVerdicts(url).noAnswer('ECONNREFUSED')).toEqual({ mistake: 'refused-on-loopback', port: '8080' });
  });

  it('names the default port of a loopback URL without one', () => {
    expect(new WakeVerdicts('https://localhost').noAnswer('ECONNREFUSED')).toEqual({ mistake: 'refused-on-loopback', port: '443' });
  });

  it('waits out refused and reset connections, timeouts and unreachable networks on another host (a proxy in front of a sleeping server)', () => {
    const verdicts = new WakeVerdicts(REMOTE);
    for (let poll = 0; poll < 10; poll++) {
      for (const code of ['ECONNREFUSED', 'ECONNRESET', 'TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']) expect(verdicts.noAnswer(code), code).toBeNull();
    }
  });

  it('gives resets on this machine two more polls, then says the port expects https (http) or is not the API (https)', () => {
    const overHttp = new WakeVerdicts(LOCAL);
    const overHttps = new WakeVerdicts('https://localhost:8443');
    for (let poll = 1; poll < TRIES_BEFORE_GIVING_UP; poll++) {
      expect(overHttp.noAnswer('ECONNRESET')).toBeNull();
      expect(overHttps.noAnswer('ECONNRESET')).toBeNull();
    }
    expect(overHttp.noAnswer('ECONNRESET')).toEqual({ mistake: 'http-to-https', evidence: 'reset', detail: String(TRIES_BEFORE_GIVING_UP) });
    expect(overHttps.noAnswer('ECONNRESET')).toEqual({ mistake: 'reset-on-loopback', port: '8443', tries: TRIES_BEFORE_GIVING_UP });
  });

  it('waits out timeouts on this machine too (a local server that is slow to start)', () => {
    const verdicts = new WakeVerdicts(LOCAL);
    for (let poll = 0; poll < 10; poll++) expect(verdicts.noAnswer('TIMEOUT')).toBeNull();
  });
});

describe('WakeVerdicts: polls answered with something else than {"status":"ok"}', () => {
  it.each([502, 503, 504, 530, 500, 429, 408])('waits out HTTP %i (a sleeping server, its proxy or its tunnel)', (status) => {
    const verdicts = new WakeVerdicts(REMOTE);
    for (let poll = 0; poll < 10; poll++) expect(verdicts.answer(answer(status), refusal(status))).toBeNull();
  });

  it.each([404, 401, 403, 405, 400])('stops at HTTP %i: not the license API, with the answer as the refusal describes it', (status) => {
    expect(new WakeVerdicts(REMOTE).answer(answer(status), refusal(status))).toEqual({ mistake: 'not-the-api', answer: `HTTP ${status} (HTML page)` });
  });

  it('stops at a 200 that is not the contract JSON', () => {
    const reason = 'HTTP 200 with an HTML page instead of JSON';
    expect(new WakeVerdicts(REMOTE).answer(answer(200, '<html>Welcome</html>'), refusal(200, reason))).toEqual({ mistake: 'not-the-api', answer: reason });
  });

  it('stops at a redirect, naming its status', () => {
    expect(new WakeVerdicts('http://localhost:8080').answer(answer(301), refusal(301))).toEqual({ mistake: 'redirect', status: 301 });
  });

  it("recognises a web server's page for plain http sent to its https port", () => {
    const page = answer(400, '<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>');
    expect(new WakeVerdicts('http://localhost:443').answer(page, refusal(400))).toEqual({ mistake: 'http-to-https', evidence: 'https-port-page', detail: '400' });
  });
});
