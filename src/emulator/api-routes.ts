import { isLicenseType } from '../domain/license-type.js';
import { apiError, html, json, type ApiRequest, type ApiResponse } from './api-types.js';
import { sqlTimestamp } from './clock.js';
import { INTERNAL_SERVER_ERROR_PAGE, METHOD_NOT_ALLOWED_PAGE, NOT_FOUND_PAGE, redirectPage } from './html-pages.js';
import { passwordMatches } from './password-hash.js';
import { FieldTypeError, textField } from './request-fields.js';
import type { LicenseStatus } from './store.js';
import type { TokenClaims } from './tokens.js';
import { verifyLicense } from './verify.js';
import type { ApiContext } from './api-context.js';
import { stripLikeServer } from '../domain/server-strip.js';

type Handler = (ctx: ApiContext, req: ApiRequest, params: readonly string[]) => ApiResponse;
type AuthedHandler = (ctx: ApiContext, req: ApiRequest, caller: TokenClaims, params: readonly string[]) => ApiResponse;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** The route's name in statistics, e.g. `POST /admin/devices/:device_id/deactivate`. */
  readonly name: string;
  readonly handler: Handler;
}

const UNAUTHORIZED = apiError(401, 'Unauthorized');
const FORBIDDEN = apiError(403, 'Acesso negado.');
const LICENSE_NOT_FOUND = apiError(404, 'Licença não encontrada.');

function authenticated(handler: AuthedHandler, options: { adminOnly?: boolean } = {}): Handler {
  return (ctx, req, params) => {
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? stripLikeServer(header.slice('Bearer '.length)) : '';
    const caller = token ? ctx.tokens.verify(token) : null;
    if (!caller) return UNAUTHORIZED;
    if (options.adminOnly && caller.role !== 'admin') return FORBIDDEN;
    return handler(ctx, req, caller, params);
  };
}

const login: Handler = (ctx, req) => {
  const username = textField(req.body, 'username');
  const password = textField(req.body, 'password');
  if (!username || !password) return apiError(400, 'Credenciais obrigatórias.');
  const account = ctx.store.findAccount(username);
  if (!account || !passwordMatches(password, account.passwordHash)) return apiError(401, 'Usuário ou senha inválidos.');
  return json(200, {
    token: ctx.tokens.sign({ username, role: account.role }),
    must_change_password: account.mustChangePassword,
    role: account.role,
  });
};

const listUsers: AuthedHandler = (ctx) => ({ kind: 'listing', endpoint: 'users', items: ctx.store.listUsers() });

const createUser: AuthedHandler = (ctx, req) => {
  const username = textField(req.body, 'username');
  const password = textField(req.body, 'password');
  const email = textField(req.body, 'email');
  const role = textField(req.body, 'role') ?? 'user';
  if (!username || !password) return apiError(400, 'Usuário e senha são obrigatórios.');
  if (password.length < 6) return apiError(400, 'A senha deve ter pelo menos 6 caracteres.');
  if (role !== 'admin' && role !== 'user') return apiError(400, 'Perfil inválido.');
  if (ctx.store.usernameTaken(username)) return apiError(400, 'Usuário já existe.');
  const row = ctx.store.createUser({ username, password, email, role }, sqlTimestamp(ctx.clock.now()));
  return json(201, { ok: true, user_id: row.id, username: row.username, role: row.role });
};

const listDevices: AuthedHandler = (ctx, _req, caller) => ({
  kind: 'listing',
  endpoint: 'devices',
  items: ctx.store.listDevices(caller.role === 'admin' ? undefined : caller.username),
});

const upsertDevice: AuthedHandler = (ctx, req, caller) => {
  const deviceId = textField(req.body, 'device_id');
  const licenseType = textField(req.body, 'license_type') ?? 'anual';
  if (!deviceId) return apiError(400, 'device_id é obrigatório.');
  if (!isLicenseType(licenseType)) return apiError(400, 'Tipo de licença inválido.');
  const content = {
    owner_name: textField(req.body, 'owner_name'),
    cpf: textField(req.body, 'cpf'),
    email: textField(req.body, 'email'),
    address: textField(req.body, 'address'),
    license_type: licenseType,
  };
  const createdBy = textField(req.body, 'created_by') ?? (caller.role === 'admin' ? 'admin' : caller.username);
  ctx.store.upsertDevice(deviceId, content, createdBy, ctx.clock.today());
  if (content.email) ctx.sendWelcomeEmail(content.email);
  return json(201, { success: true, device_id: deviceId, license_type: licenseType });
};

const DEACTIVATE_ACTIONS = new Set(['block', 'activate', 'toggle']);

const deactivateDevice: AuthedHandler = (ctx, req, _caller, [deviceId = '']) => {
  const action = textField(req.body, 'action') ?? 'toggle';
  if (!DEACTIVATE_ACTIONS.has(action)) return apiError(400, 'Ação inválida.');
  const device = ctx.store.getDevice(deviceId);
  if (!device) return LICENSE_NOT_FOUND;
  const status: LicenseStatus =
    action === 'block' ? 'blocked' : action === 'activate' ? 'active' : device.status === 'blocked' ? 'active' : 'blocked';
  ctx.store.setStatus(deviceId, status);
  return json(200, { success: true, device_id: deviceId, status });
};

const updateCreatedBy: AuthedHandler = (ctx, req) => {
  const deviceId = textField(req.body, 'device_id');
  const createdBy = textField(req.body, 'created_by');
  if (!deviceId || !createdBy) return apiError(400, 'device_id e created_by são obrigatórios.');
  if (!ctx.store.setCreatedBy(deviceId, createdBy)) return LICENSE_NOT_FOUND;
  return json(200, { success: true, device_id: deviceId, created_by: createdBy });
};

const deleteDevice: AuthedHandler = (ctx, _req, _caller, [deviceId = '']) => {
  if (!ctx.store.deleteDevice(deviceId)) return LICENSE_NOT_FOUND;
  return json(200, { success: true, device_id: deviceId, message: 'Licença removida.' });
};

const verify: Handler = (ctx, req) => {
  const answer = verifyLicense(ctx, {
    deviceId: stripLikeServer(req.query.get('id') ?? ''),
    version: req.query.get('version'),
    hostname: req.query.get('hostname'),
    ip: req.remoteAddress,
  });
  return json(answer.status, answer.body);
};

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/health$/, name: 'GET /health', handler: () => json(200, { status: 'ok' }) },
  {
    method: 'GET',
    pattern: /^\/ping$/,
    name: 'GET /ping',
    handler: (ctx) =>
      json(200, { status: 'ok', message: 'Server is alive', timestamp: ctx.clock.now().toISOString(), server: 'license-api' }),
  },
  { method: 'POST', pattern: /^\/admin\/login$/, name: 'POST /admin/login', handler: login },
  { method: 'GET', pattern: /^\/admin\/users$/, name: 'GET /admin/users', handler: authenticated(listUsers, { adminOnly: true }) },
  {
    method: 'POST',
    pattern: /^\/admin\/users\/create$/,
    name: 'POST /admin/users/create',
    handler: authenticated(createUser, { adminOnly: true }),
  },
  { method: 'GET', pattern: /^\/admin\/devices$/, name: 'GET /admin/devices', handler: authenticated(listDevices) },
  { method: 'POST', pattern: /^\/admin\/devices\/create$/, name: 'POST /admin/devices/create', handler: authenticated(upsertDevice) },
  {
    method: 'POST',
    pattern: /^\/admin\/devices\/update-created-by$/,
    name: 'POST /admin/devices/update-created-by',
    handler: authenticated(updateCreatedBy),
  },
  {
    method: 'POST',
    pattern: /^\/admin\/devices\/([^/]+)\/deactivate$/,
    name: 'POST /admin/devices/:device_id/deactivate',
    handler: authenticated(deactivateDevice),
  },
  {
    method: 'DELETE',
    pattern: /^\/admin\/devices\/([^/]+)\/delete$/,
    name: 'DELETE /admin/devices/:device_id/delete',
    handler: authenticated(deleteDevice, { adminOnly: true }),
  },
  { method: 'GET', pattern: /^\/verify$/, name: 'GET /verify', handler: verify },
];

export interface RouteMatch {
  readonly name: string;
  readonly run: (ctx: ApiContext, req: ApiRequest) => ApiResponse;
}

/**
 * Finds the route for a request, as Werkzeug does on the decoded path: a
 * `<device_id>` is one segment (no `/`, so `%2F` in an id never reaches its
 * license); a path that matches only once its repeated slashes are merged
 * (an id with a leading or trailing `/`) is a 308 redirect to that path.
 * Unknown paths and wrong methods get Werkzeug's HTML pages.
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const redirect = path.includes('//') ? mergedSlashesRedirect(method, path) : null;
  if (redirect !== null) return redirect;
  let pathKnown = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    pathKnown = true;
    if (route.method !== method) continue;
    return {
      name: route.name,
      run: (ctx, req) => {
        try {
          return route.handler(ctx, req, match.slice(1));
        } catch (error) {
          if (error instanceof FieldTypeError) return html(INTERNAL_SERVER_ERROR_PAGE);
          throw error;
        }
      },
    };
  }
  const page = pathKnown ? METHOD_NOT_ALLOWED_PAGE : NOT_FOUND_PAGE;
  return { name: pathKnown ? `${method} (method not allowed)` : `${method} (not found)`, run: () => html(page) };
}

/** Werkzeug's `merge_slashes`: a 308 to the path with runs of `/` merged, when a route of this method takes that path. */
function mergedSlashesRedirect(method: string, path: string): RouteMatch | null {
  const merged = path.replace(/\/{2,}/g, '/');
  if (!ROUTES.some((route) => route.method === method && route.pattern.test(merged))) return null;
  const location = encodeURI(merged);
  return { name: `${method} (redirect)`, run: () => html(redirectPage(location), { Location: location }) };
}
