import type { SyncConfig } from '../config/sync-config.js';
import { DEFAULT_NOTIFY_TIMEOUT_MS, type NotifySettings } from '../notify/notify-settings.js';

export function notifySettingsOf(config: Pick<SyncConfig, 'notify'>): NotifySettings {
  return {
    webhookUrl: config.notify.webhookUrl,
    format: config.notify.format,
    on: new Set(config.notify.on),
    pingUrl: config.notify.pingUrl,
    timeoutMs: DEFAULT_NOTIFY_TIMEOUT_MS,
  };
}
