// A reseller at work on one license server with its own account (role `user`),
// as during a failover: the primary is down, the reseller's program talks to a
// backup, and sales and blocks land there. Errors name the server, the endpoint
// and the license; the password and the token never appear in them.

export interface Customer {
  readonly owner_name: string;
  readonly cpf: string;
  readonly email: string;
  readonly address: string;
  readonly license_type: string;
}

export class ResellerClient {
  private constructor(
    readonly url: string,
    readonly username: string,
    private readonly token: string,
  ) {}

  /** Logs in as `username`; refuses an account that is not a plain reseller. */
  static async login(url: string, username: string, password: string): Promise<ResellerClient> {
    const answer = (await call(url, 'POST', '/admin/login', undefined, { username, password }, `login of ${username}`)) as { token?: unknown; role?: unknown };
    if (typeof answer.token !== 'string') throw new Error(`${url} POST /admin/login (${username}): no token in the answer`);
    if (answer.role !== 'user') throw new Error(`${url} POST /admin/login: ${username} is not a reseller (role ${String(answer.role)})`);
    return new ResellerClient(url, username, answer.token);
  }

  /** Sells a license: an upsert with the reseller's own token and no created_by, so the server records this reseller as its owner. */
  async sell(deviceId: string, customer: Customer): Promise<void> {
    await call(this.url, 'POST', '/admin/devices/create', this.token, { device_id: deviceId, ...customer }, `license ${deviceId}`);
  }

  async block(deviceId: string): Promise<void> {
    const path = `/admin/devices/${encodeURIComponent(deviceId)}/deactivate`;
    await call(this.url, 'POST', path, this.token, { action: 'block' }, `license ${deviceId}`);
  }
}

async function call(url: string, method: string, path: string, token: string | undefined, body: unknown, what: string): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} ${method} ${path} (${what}): HTTP ${response.status} ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${url} ${method} ${path} (${what}): the answer is not JSON: ${text.slice(0, 200)}`);
  }
}
