import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error.js';
import { LicenseApiClient } from '../../src/api/license-api-client.js';

// Certificates are always verified: a server with a private CA's certificate
// is reachable only when that CA is given (--ca-file). The certificate is made
// here with openssl, for localhost, valid for a day.

let dir = '';
let cert = '';
let server: Server;
let url = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-tls-'));
  const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], {
    stdio: 'ignore',
  });
  cert = await readFile(certFile, 'utf8');
  server = createServer({ key: await readFile(keyFile, 'utf8'), cert }, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://localhost:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function client(ca: string | null): LicenseApiClient {
  return new LicenseApiClient({
    account: { name: 'backup', url, username: 'admin', password: 'unused' },
    timeoutMs: 5_000,
    retry: { attempts: 1, minDelayMs: 1, maxDelayMs: 1 },
    ca,
    maxSockets: 2,
  });
}

describe('TLS', () => {
  it('reaches a server whose certificate the given CA signed', async () => {
    const trusting = client(cert);
    try {
      await expect(trusting.waitUntilAwake(0)).resolves.toBeGreaterThanOrEqual(0);
    } finally {
      trusting.close();
    }
  });

  it('still refuses it with NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment', async () => {
    const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const plain = client(null);
    try {
      const error = await plain.waitUntilAwake(0).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).reason).toMatch(/self-signed.*--ca-file/);
    } finally {
      plain.close();
      if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
    }
  });

  it('refuses the same server without the CA, and says to use --ca-file', async () => {
    const plain = client(null);
    try {
      const error = await plain.waitUntilAwake(0).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).reason).toMatch(/self-signed.*--ca-file/);
    } finally {
      plain.close();
    }
  });
});
