import type { HealthProbe } from '../../../src/api/health-probe.js';
import { newServerError, type LicenseServer, type LoginSession, type NewUser, type ServerErrorKind } from '../../../src/api/license-server.js';
import { addMonths, licenseEndDate, type CalendarDate } from '../../../src/domain/calendar-date.js';
import type { LicenseType } from '../../../src/domain/license-type.js';
import type { UpsertBody } from '../../../src/domain/upsert-body.js';
import type { UserRole } from '../../../src/snapshot/records.js';

// A license server held in memory, for unit tests of the run: it applies the
// contract's write semantics (an upsert re-opens and re-dates, created_by
// defaults to admin, a duplicate user is a 400, a missing license a 404) and
// can be told to misbehave: asleep for good, refuse the login, log in as a
// non-admin, answer a listing that cannot be read, list partially, fail a
// given write, or change between the listing and the verification. Like the
// HTTP client, it abandons wake-ups, logins and listings once the run's stop
// signal is aborted (writes in flight run their course).

export interface LicenseRow {
  readonly id: number;
  readonly device_id: string;
  readonly owner_name: string | null;
  readonly cpf: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly license_type: LicenseType;
  readonly status: 'active' | 'blocked' | 'pending';
  readonly start_date: string | null;
  readonly end_date: string | null;
  readonly custom_interval: number | null;
  readonly features: string | null;
  readonly last_seen_at: string | null;
  readonly last_seen_ip: string | null;
  readonly last_hostname: string | null;
  readonly last_version: string | null;
  readonly created_by: string | null;
}

export interface UserRow {
  readonly id: number;
  readonly username: string;
  readonly email: string | null;
  readonly role: UserRole;
  readonly created_at: string | null;
}

/** Which call a fault applies to: a write by its verb, and the key it names (any key when absent). */
export type WriteCall = 'create-user' | 'upsert' | 'block' | 'activate' | 'update-created-by' | 'delete';

export interface Faults {
  /** `/health` never answers: waiting gives up at once (no sleep). */
  unreachable?: boolean;
  /** Asleep: the wait says it has waited this long, then the server answers (no sleep). */
  asleepMs?: number;
  /** The login answers 401. */
  refuseLogin?: boolean;
  /** The account's role (admin unless told). */
  role?: UserRole;
  /** This listing answers something that is not the contract's JSON. */
  malformedListing?: 'users' | 'licenses';
  /** Listings from this one on (1 = the first) fail with no answer: to fail the re-listing after the writes. */
  unreachableFromListing?: number;
  /** Only the first N licenses are listed. */
  partialLicenses?: number;
}

export interface WriteFault {
  readonly call: WriteCall;
  readonly key?: string;
  readonly kind?: ServerErrorKind;
  readonly status?: number | null;
  readonly reason?: string;
}

/** Routes as the contract names them, for failures. */
const ROUTE: Record<WriteCall, string> = {
  'create-user': 'POST /admin/users/create',
  upsert: 'POST /admin/devices/create',
  block: 'POST /admin/devices/:device_id/deactivate',
  activate: 'POST /admin/devices/:device_id/deactivate',
  'update-created-by': 'POST /admin/devices/update-created-by',
  delete: 'DELETE /admin/devices/:device_id/delete',
};

export class InMemoryServer implements LicenseServer {
  readonly users = new Map<string, UserRow>();
  readonly licenses = new Map<string, LicenseRow>();
  faults: Faults = {};
  /** Writes that fail, checked in order. */
  readonly failingWrites: WriteFault[] = [];
  /** Every write applied, as `call key`. */
  readonly writes: string[] = [];
  /** Called before each listing of licenses is answered, with its number (1 = the first): to change the server between listing and verification. */
  beforeLicenseListing: ((listing: number) => void) | null = null;
  /** Called after each write is applied, with how many were applied so far: to abort a run mid-way. */
  afterWrite: ((count: number) => void) | null = null;
  requestCount = 0;
  session: { readonly role: UserRole; readonly mustChangePassword: boolean } | null = null;
  closed = false;
  private licenseListings = 0;
  private listings = 0;
  private nextId = 1;

  constructor(
    readonly server: string,
    private readonly today: CalendarDate,
  ) {}

  /** Adds licenses (rows as listed) and returns this server. */
  withLicenses(...rows: readonly LicenseRow[]): this {
    for (const row of rows) this.licenses.set(row.device_id, { ...row, id: this.nextId++ });
    return this;
  }

  withUsers(...rows: readonly UserRow[]): this {
    for (const row of rows) this.users.set(row.username, { ...row, id: this.nextId++ });
    return this;
  }

  /** Changes a license in place, as someone working on the server would (no request counted). */
  edit(deviceId: string, changes: Partial<LicenseRow>): void {
    const row = this.licenses.get(deviceId);
    if (row === undefined) throw new Error(`no license ${deviceId} on ${this.server}`);
    this.licenses.set(deviceId, { ...row, ...changes });
  }

  failWrite(fault: WriteFault): this {
    this.failingWrites.push(fault);
    return this;
  }

  private stop: AbortSignal | undefined;

  /** A new session, as a run opens one: no login yet, no request sent; `stop` abandons reads once aborted. */
  reopen(stop?: AbortSignal): void {
    this.stop = stop;
    this.requestCount = 0;
    this.session = null;
    this.closed = false;
    this.licenseListings = 0;
    this.listings = 0;
  }

  close(): void {
    this.closed = true;
  }

  async waitUntilAwake(wakeTimeoutMs: number, onWaiting?: (elapsedMs: number, limitMs: number) => void): Promise<number> {
    this.stop?.throwIfAborted();
    this.requestCount += 1;
    if (this.faults.asleepMs !== undefined) onWaiting?.(this.faults.asleepMs, wakeTimeoutMs);
    if (this.faults.unreachable === true) throw this.error('GET /health', null, 'network', null, 'no answer (ECONNREFUSED)');
    return this.faults.asleepMs ?? 0;
  }

  /** One health check: down while unreachable, asleep while asleep (never waits), else up at once. */
  async probeHealth(timeoutMs: number): Promise<HealthProbe> {
    this.requestCount += 1;
    if (this.faults.unreachable === true) return { ok: false, latencyMs: 0, failure: 'down', detail: 'connection refused (ECONNREFUSED)' };
    if (this.faults.asleepMs !== undefined) return { ok: false, latencyMs: timeoutMs, failure: 'asleep', detail: `no answer within ${timeoutMs / 1000} s` };
    return { ok: true, latencyMs: 0 };
  }

  async login(): Promise<LoginSession> {
    this.stop?.throwIfAborted();
    this.requestCount += 1;
    if (this.faults.refuseLogin === true) throw this.error('POST /admin/login', 'admin', 'unauthorized', 401, 'HTTP 401: invalid credentials');
    const role = this.faults.role ?? 'admin';
    this.session = { role, mustChangePassword: false };
    return { role, must_change_password: false };
  }

  async listUsers(): Promise<unknown[]> {
    this.countListing('GET /admin/users');
    if (this.faults.malformedListing === 'users') throw this.error('GET /admin/users', null, 'malformed', 200, 'HTTP 200 with an HTML page');
    return [...this.users.values()].map((row) => ({ ...row }));
  }

  async listLicenses(): Promise<unknown[]> {
    this.licenseListings += 1;
    this.beforeLicenseListing?.(this.licenseListings);
    this.countListing('GET /admin/devices');
    if (this.faults.malformedListing === 'licenses') throw this.error('GET /admin/devices', null, 'malformed', 200, 'HTTP 200 with an HTML page');
    const rows = [...this.licenses.values()].map((row) => ({ ...row }));
    return this.faults.partialLicenses === undefined ? rows : rows.slice(0, this.faults.partialLicenses);
  }

  async createUser(user: NewUser): Promise<void> {
    this.write('create-user', user.username);
    if (this.users.has(user.username)) throw this.error(ROUTE['create-user'], user.username, 'rejected', 400, 'HTTP 400: user already exists');
    this.users.set(user.username, { id: this.nextId++, username: user.username, email: user.email, role: user.role, created_at: '2025-01-01 00:00:00' });
    this.applied('create-user', user.username);
  }

  async upsertLicense(body: UpsertBody): Promise<void> {
    this.write('upsert', body.device_id);
    const existing = this.licenses.get(body.device_id);
    const content = { owner_name: body.owner_name, cpf: body.cpf, email: body.email, address: body.address, license_type: body.license_type };
    const dates = { start_date: this.today, end_date: licenseEndDate(body.license_type, this.today) };
    const created_by = body.created_by === '' ? 'admin' : body.created_by;
    this.licenses.set(
      body.device_id,
      existing
        ? { ...existing, ...content, ...dates, status: 'active', created_by }
        : { ...blankLicense(body.device_id), id: this.nextId++, ...content, ...dates, status: 'active', created_by },
    );
    this.applied('upsert', body.device_id);
  }

  async setStatus(deviceId: string, action: 'block' | 'activate'): Promise<void> {
    this.write(action, deviceId);
    const row = this.existing(action, deviceId);
    this.licenses.set(deviceId, { ...row, status: action === 'block' ? 'blocked' : 'active' });
    this.applied(action, deviceId);
  }

  async updateCreatedBy(deviceId: string, createdBy: string): Promise<void> {
    this.write('update-created-by', deviceId);
    const row = this.existing('update-created-by', deviceId);
    this.licenses.set(deviceId, { ...row, created_by: createdBy });
    this.applied('update-created-by', deviceId);
  }

  async deleteLicense(deviceId: string): Promise<void> {
    this.write('delete', deviceId);
    this.existing('delete', deviceId);
    this.licenses.delete(deviceId);
    this.applied('delete', deviceId);
  }

  private countListing(route: string): void {
    this.stop?.throwIfAborted();
    this.requestCount += 1;
    this.listings += 1;
    const from = this.faults.unreachableFromListing;
    if (from !== undefined && Math.ceil(this.listings / 2) >= from) throw this.error(route, null, 'network', null, 'no answer (ECONNRESET)');
  }

  private write(call: WriteCall, key: string): void {
    this.requestCount += 1;
    const index = this.failingWrites.findIndex((fault) => fault.call === call && (fault.key === undefined || fault.key === key));
    if (index < 0) return;
    const fault = this.failingWrites[index] as WriteFault;
    throw this.error(ROUTE[call], key, fault.kind ?? 'http', fault.status === undefined ? 500 : fault.status, fault.reason ?? 'HTTP 500');
  }

  private applied(call: WriteCall, key: string): void {
    this.writes.push(`${call} ${key}`);
    this.afterWrite?.(this.writes.length);
  }

  private existing(call: WriteCall, deviceId: string): LicenseRow {
    const row = this.licenses.get(deviceId);
    if (row === undefined) throw this.error(ROUTE[call], deviceId, 'rejected', 404, 'HTTP 404: device not found');
    return row;
  }

  private error(endpoint: string, key: string | null, kind: ServerErrorKind, status: number | null, reason: string) {
    return newServerError({ server: this.server, endpoint, key, kind, status, reason });
  }
}

function blankLicense(deviceId: string): LicenseRow {
  return {
    id: 0,
    device_id: deviceId,
    owner_name: null,
    cpf: null,
    email: null,
    address: null,
    license_type: 'anual',
    status: 'active',
    start_date: null,
    end_date: null,
    custom_interval: 60,
    features: 'core',
    last_seen_at: null,
    last_seen_ip: null,
    last_hostname: null,
    last_version: null,
    created_by: 'admin',
  };
}

/** A license the server allows `today` (active, dated around it); override any field. */
export function license(deviceId: string, today: CalendarDate, overrides: Partial<LicenseRow> = {}): LicenseRow {
  return {
    ...blankLicense(deviceId),
    owner_name: `Owner of ${deviceId}`,
    cpf: '52998224725',
    email: `${deviceId.toLowerCase()}@example.com`,
    address: 'Rua A, 1, Centro, Recife',
    start_date: addMonths(today, -6),
    end_date: addMonths(today, 6),
    ...overrides,
  };
}

export function user(username: string, overrides: Partial<UserRow> = {}): UserRow {
  return { id: 0, username, email: `${username}@example.com`, role: 'user', created_at: '2025-01-01 00:00:00', ...overrides };
}
