import { formatNumber, t } from '../i18n/i18n.js';
import type { LogSink } from '../log/log-sink.js';
import { printable } from '../report/printable.js';
import { postWebhook, type DeliveryOptions } from './deliver.js';
import type { NotifyOn, NotifySettings } from './notify-settings.js';
import { truncate } from './truncate.js';
import { DISCORD_LIMITS, SLACK_LIMITS, resolveFormat, slackText, type PayloadFormat } from './webhook-payload.js';

/** A server of `sync-dbs serve` declared down or back by its watchdog: what the webhook post says. */
export interface ServerTransitionNotice {
  /** `primary`, or the backup's configured name. */
  readonly server: string;
  readonly role: 'primary' | 'backup';
  /** The server's configured URL (origin and path, never a credential). */
  readonly url: string;
  readonly kind: 'down' | 'back';
  /** The state it went to: `down`, `asleep` or `up`. */
  readonly to: 'unknown' | 'up' | 'down' | 'asleep';
  readonly at: Date;
  /** Checks in a row that settled it. */
  readonly afterChecks: number;
  /** Why the last check failed (down), or null. */
  readonly detail: string | null;
  readonly hostname: string;
}

/** Which --notify-on choice covers a transition: a server down is a failure, one back a recovery. */
const EVENT_CHOICE: Readonly<Record<ServerTransitionNotice['kind'], NotifyOn>> = { down: 'failure', back: 'recovery' };

const COLOR: Readonly<Record<ServerTransitionNotice['kind'], number>> = { down: 0xd93025, back: 0x1e8e3e };

const MAX_DETAIL = 300;

export function transitionTitle(notice: ServerTransitionNotice): string {
  const server = printable(notice.server);
  if (notice.kind === 'back') return notice.role === 'primary' ? t('notify:transition.title.primaryBack', { server }) : t('notify:transition.title.backupBack', { server });
  if (notice.to === 'asleep') return t('notify:transition.title.asleep', { server });
  return notice.role === 'primary' ? t('notify:transition.title.primaryDown', { server }) : t('notify:transition.title.backupDown', { server });
}

export function transitionText(notice: ServerTransitionNotice): string {
  const values = { server: printable(notice.server), url: printable(notice.url), count: notice.afterChecks, host: printable(notice.hostname), at: notice.at };
  const lines = [
    notice.kind === 'down' ? t('notify:transition.lead.down', values) : t('notify:transition.lead.back', values),
    ...(notice.detail === null ? [] : [t('notify:transition.line.detail', { detail: truncate(printable(notice.detail), MAX_DETAIL) })]),
    ...(notice.kind === 'back' && notice.role === 'primary' ? [t('notify:transition.line.reconciling')] : []),
    t('notify:transition.line.host', values),
  ];
  return lines.join('\n');
}

/** The webhook body of a transition, in the format the URL expects. */
export function transitionPayload(format: PayloadFormat, notice: ServerTransitionNotice): Record<string, unknown> {
  const title = transitionTitle(notice);
  const text = transitionText(notice);
  switch (format) {
    case 'discord':
      return {
        username: 'sync-dbs',
        content: truncate(title, DISCORD_LIMITS.content),
        allowed_mentions: { parse: [] },
        embeds: [
          {
            title: truncate(title, DISCORD_LIMITS.title),
            description: truncate(text, DISCORD_LIMITS.description),
            color: COLOR[notice.kind],
            timestamp: notice.at.toISOString(),
            fields: [
              { name: t('notify:transition.field.server'), value: truncate(printable(notice.server), 200), inline: true },
              { name: t('notify:transition.field.url'), value: truncate(printable(notice.url), 200), inline: true },
              { name: t('notify:transition.field.checks'), value: formatNumber(notice.afterChecks), inline: true },
            ],
          },
        ],
      };
    case 'slack':
      return {
        text: slackText(title, SLACK_LIMITS.fallback),
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: truncate(title, SLACK_LIMITS.header), emoji: true } },
          { type: 'section', text: { type: 'mrkdwn', text: slackText(text, SLACK_LIMITS.section) } },
        ],
      };
    case 'generic':
      return {
        source: 'sync-dbs',
        event: notice.kind === 'down' ? 'server-down' : 'server-back',
        server: notice.server,
        role: notice.role,
        url: notice.url,
        state: notice.to,
        at: notice.at.toISOString(),
        afterChecks: notice.afterChecks,
        detail: notice.detail,
        hostname: notice.hostname,
        title,
        text,
      };
  }
}

/**
 * Posts one transition to the configured webhook, when there is one and
 * --notify-on covers it (`failure` for down, `recovery` for back). Resolves
 * whether it was posted; never rejects.
 */
export async function postTransition(
  settings: NotifySettings,
  notice: ServerTransitionNotice,
  log: LogSink,
  tuning: Pick<DeliveryOptions, 'retryDelaysMs'> = {},
): Promise<boolean> {
  if (settings.webhookUrl === null || !settings.on.has(EVENT_CHOICE[notice.kind])) return false;
  try {
    const payload = transitionPayload(resolveFormat(settings.format, settings.webhookUrl), notice);
    const sent = await postWebhook(settings.webhookUrl, payload, { timeoutMs: settings.timeoutMs, log, ...tuning });
    if (sent) log.info(t('notify:transition.sent', { server: printable(notice.server) }));
    return sent;
  } catch (error) {
    log.warn(t('notify:notifier.broken', { reason: error instanceof Error ? error.message : String(error) }));
    return false;
  }
}
