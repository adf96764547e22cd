import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';

// TLS in front of the loopback test servers: a self-signed certificate made
// with openssl, and a TLS-terminating proxy that pipes each connection to a
// plain HTTP server (an emulator, a webhook receiver). Clients see an https
// server whose certificate no public CA signed.

export interface SelfSignedCertificate {
  readonly dir: string;
  readonly key: string;
  readonly cert: string;
  /** The certificate as a PEM file, for --ca-file. */
  readonly certFile: string;
  remove(): Promise<void>;
}

/** A certificate for `localhost` only (not 127.0.0.1), valid for a day. */
export async function makeSelfSignedCertificate(): Promise<SelfSignedCertificate> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-security-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'],
    { stdio: 'ignore' },
  );
  return {
    dir,
    key: await readFile(keyFile, 'utf8'),
    cert: await readFile(certFile, 'utf8'),
    certFile,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface TlsProxy {
  readonly port: number;
  /** `https://localhost:<port>`: the name the certificate is for. */
  readonly url: string;
  /** TLS sessions that completed their handshake (the client accepted the certificate). */
  readonly handshakes: number;
  close(): Promise<void>;
}

/** Terminates TLS on a loopback port and pipes each connection to `targetPort` on 127.0.0.1. */
export async function startTlsProxy(certificate: SelfSignedCertificate, targetPort: number): Promise<TlsProxy> {
  const sockets = new Set<Socket>();
  let handshakes = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (client: TLSSocket) => {
    handshakes++;
    track(client);
    const upstream = connect(targetPort, '127.0.0.1');
    track(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  // A client that refuses the certificate aborts the handshake: expected here, not an error of the proxy.
  server.on('tlsClientError', () => undefined);
  server.on('connection', track);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://localhost:${port}`,
    get handshakes() {
      return handshakes;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
