import type { NotifyEventKind } from './notify-event.js';
import type { NotifyFormat } from './notify-settings.js';
import { outcomeText, type RunNotice } from './run-notice.js';
import { truncate } from './truncate.js';
import { formatNumber, t } from '../i18n/i18n.js';

export type PayloadFormat = Exclude<NotifyFormat, 'auto'>;

const DISCORD_HOSTS = new Set(['discord.com', 'discordapp.com', 'canary.discord.com', 'ptb.discord.com', 'canary.discordapp.com', 'ptb.discordapp.com']);
const DISCORD_WEBHOOK_PATH = /^\/api\/(v\d+\/)?webhooks\//;
const SLACK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

/** The payload format a webhook URL expects; anything not recognised gets generic JSON. */
export function detectFormat(url: string): PayloadFormat {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'generic';
  }
  const host = parsed.hostname.toLowerCase();
  if (DISCORD_HOSTS.has(host) && DISCORD_WEBHOOK_PATH.test(parsed.pathname)) return 'discord';
  // Only incoming webhooks (/services/...) take blocks; Workflow Builder
  // triggers (/triggers/..., /workflows/...) want flat variables, as generic JSON has.
  if (SLACK_HOSTS.has(host) && parsed.pathname.startsWith('/services/')) return 'slack';
  return 'generic';
}

export function resolveFormat(format: NotifyFormat, url: string): PayloadFormat {
  return format === 'auto' ? detectFormat(url) : format;
}

export function webhookPayload(format: PayloadFormat, notice: RunNotice): Record<string, unknown> {
  switch (format) {
    case 'discord':
      return discordPayload(notice);
    case 'slack':
      return slackPayload(notice);
    case 'generic':
      return genericPayload(notice);
  }
}

/** Discord's documented limits for webhook messages and embeds. */
export const DISCORD_LIMITS = { content: 2000, title: 256, description: 4096, fieldName: 256, fieldValue: 1024 } as const;
/** Slack's documented limits for Block Kit header and section blocks. */
export const SLACK_LIMITS = { header: 150, section: 3000, fallback: 3000 } as const;

// Keeps the whole embed (title + description + fields) under Discord's 6000-character total.
const DISCORD_FIELD_VALUE_MAX = 200;

const COLORS: Readonly<Record<NotifyEventKind, number>> = {
  failure: 0xd93025,
  refused: 0xf29900,
  'lock-conflict': 0xf29900,
  recovery: 0x1e8e3e,
  success: 0x1e8e3e,
};

function discordPayload(notice: RunNotice): Record<string, unknown> {
  const fields = [
    { name: t('notify:field.outcome'), value: outcomeText(notice.outcome) },
    { name: t('notify:field.exitCode'), value: notice.exitCode === null ? t('notify:field.none') : String(notice.exitCode) },
    { name: t('notify:field.host'), value: notice.hostname },
    ...(notice.runId === null ? [] : [{ name: t('notify:field.run'), value: `#${notice.runId}` }]),
    { name: t('notify:field.consecutiveFailures'), value: formatNumber(notice.consecutiveFailures) },
  ];
  const timestamp = Date.parse(notice.startedAt);
  return {
    username: 'sync-dbs',
    content: truncate(notice.title, DISCORD_LIMITS.content),
    // Server-provided text must never ping @everyone or a role.
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: truncate(notice.title, DISCORD_LIMITS.title),
        description: truncate(notice.text, DISCORD_LIMITS.description),
        color: COLORS[notice.event],
        ...(Number.isNaN(timestamp) ? {} : { timestamp: new Date(timestamp).toISOString() }),
        fields: fields.map((field) => ({ name: field.name, value: truncate(field.value || '-', DISCORD_FIELD_VALUE_MAX), inline: true })),
      },
    ],
  };
}

function slackPayload(notice: RunNotice): Record<string, unknown> {
  return {
    text: slackText(notice.title, SLACK_LIMITS.fallback),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(notice.title, SLACK_LIMITS.header), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: slackText(notice.text, SLACK_LIMITS.section) } },
    ],
  };
}

/** Text escaped for Slack mrkdwn (so `<!channel>` or links in server text stay inert), then cut to `max`. */
export function slackText(text: string, max: number): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (escaped.length <= max) return escaped;
  // An entity the cut split in two (`&am…`) is dropped whole.
  const cut = truncate(escaped, max);
  return cut.slice(0, -1).replace(/&[a-z]*$/, '') + cut.slice(-1);
}

function genericPayload(notice: RunNotice): Record<string, unknown> {
  return {
    source: 'sync-dbs',
    event: notice.event,
    outcome: notice.outcome,
    exitCode: notice.exitCode,
    title: notice.title,
    text: notice.text,
    hostname: notice.hostname,
    startedAt: notice.startedAt,
    runId: notice.runId,
    consecutiveFailures: notice.consecutiveFailures,
    ...(notice.details === undefined ? {} : { details: notice.details }),
  };
}
