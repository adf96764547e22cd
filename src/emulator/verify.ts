import { sqlTimestamp } from './clock.js';
import type { ApiContext } from './api-context.js';
import { stripLikeServer } from '../domain/server-strip.js';

export interface VerifyQuery {
  readonly deviceId: string;
  readonly version: string | null;
  readonly hostname: string | null;
  readonly ip: string | null;
}

export interface VerifyAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * `GET /verify`, in the contract's order: unknown → 403; blocked; expired
 * (not vitalicia, end_date before today); pending; otherwise allowed. Every
 * known license records the client's telemetry, whatever the answer.
 */
export function verifyLicense(ctx: ApiContext, query: VerifyQuery): VerifyAnswer {
  if (!query.deviceId) return { status: 400, body: { allow: false, msg: 'Parâmetro id obrigatório.' } };
  const device = ctx.store.getDevice(query.deviceId);
  if (!device) return { status: 403, body: { allow: false, msg: 'Dispositivo não registrado.' } };

  ctx.store.recordTelemetry(device.device_id, {
    last_seen_at: sqlTimestamp(ctx.clock.now()),
    last_seen_ip: query.ip,
    last_hostname: stripLikeServer(query.hostname ?? '') || device.last_hostname,
    last_version: stripLikeServer(query.version ?? '') || device.last_version,
  });

  const config = {
    interval: device.custom_interval ?? 60,
    features: device.features,
    license_type: device.license_type,
    end_date: device.end_date,
  };
  const deny = (msg: string) => ({ status: 200, body: { allow: false, msg, ...config } });
  if (device.status === 'blocked') return deny('Licença bloqueada.');
  if (device.license_type !== 'vitalicia' && device.end_date !== null && ctx.clock.today() > device.end_date) {
    return deny('Licença expirada.');
  }
  if (device.status === 'pending') return deny('Licença pendente de ativação.');
  return { status: 200, body: { allow: true, msg: 'Licença válida.', ...config } };
}
