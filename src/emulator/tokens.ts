import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type Role = 'admin' | 'user';

export interface TokenClaims {
  readonly username: string;
  readonly role: Role;
}

/**
 * Opaque bearer tokens signed with a server secret, like the real server's:
 * they never expire, and rotating the secret invalidates every token at once.
 */
export class TokenSigner {
  private secret: Buffer = randomBytes(32);
  private readonly recent: string[] = [];
  private static readonly KEEP = 1000;

  /** The latest tokens issued (at most 1,000), so that tests can check they never leak. */
  issued(): readonly string[] {
    return [...this.recent];
  }

  rotate(): void {
    this.secret = randomBytes(32);
  }

  sign(claims: TokenClaims): string {
    const payload = Buffer.from(JSON.stringify({ u: claims.username, r: claims.role, n: randomBytes(6).toString('hex') })).toString(
      'base64url',
    );
    const token = `${payload}.${this.signature(payload)}`;
    this.recent.push(token);
    if (this.recent.length > TokenSigner.KEEP) this.recent.shift();
    return token;
  }

  verify(token: string): TokenClaims | null {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.signature(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u?: unknown; r?: unknown };
      if (typeof decoded.u !== 'string' || (decoded.r !== 'admin' && decoded.r !== 'user')) return null;
      return { username: decoded.u, role: decoded.r };
    } catch {
      return null;
    }
  }

  private signature(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
