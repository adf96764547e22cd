import { describe, expect, it } from 'vitest';
import { buildRunNotice, type RunNotice } from '../../src/notify/run-notice.js';
import { DISCORD_LIMITS, SLACK_LIMITS, detectFormat, resolveFormat, webhookPayload } from '../../src/notify/webhook-payload.js';
import { FAILED_RUN, IN_SYNC_RUN } from './support/runs.js';

const FAILURE = buildRunNotice({ kind: 'failure', outcome: 'failed' }, FAILED_RUN);
const RECOVERY = buildRunNotice({ kind: 'recovery', previousConsecutiveFailures: 2 }, IN_SYNC_RUN);
const LONG: RunNotice = { ...FAILURE, title: `sync-dbs: ${'T'.repeat(5000)}`, text: `${'line of detail '.repeat(2000)}END` };

interface DiscordBody {
  username: string;
  content: string;
  allowed_mentions: { parse: string[] };
  embeds: { title: string; description: string; color: number; timestamp: string; fields: { name: string; value: string; inline: boolean }[] }[];
}

interface SlackBody {
  text: string;
  blocks: ({ type: 'header'; text: { type: string; text: string } } | { type: 'section'; text: { type: string; text: string } })[];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const discord = (notice: RunNotice) => webhookPayload('discord', notice) as unknown as DiscordBody;
const slack = (notice: RunNotice) => webhookPayload('slack', notice) as unknown as SlackBody;

describe('detectFormat', () => {
  it.each([
    ['https://discord.com/api/webhooks/123/abc', 'discord'],
    ['https://discordapp.com/api/webhooks/123/abc', 'discord'],
    ['https://canary.discord.com/api/webhooks/123/abc', 'discord'],
    ['https://ptb.discord.com/api/webhooks/123/abc', 'discord'],
    ['https://DISCORD.com/api/v10/webhooks/123/abc?wait=true', 'discord'],
    ['https://hooks.slack.com/services/T000/B000/XXXX', 'slack'],
    ['https://hooks.slack.com:443/services/T000/B000/XXXX', 'slack'],
  ] as const)('%s is %s', (url, format) => {
    expect(detectFormat(url)).toBe(format);
  });

  it.each([
    'https://example.com/hooks.slack.com',
    'https://example.com/services/hooks.slack.com/x',
    'https://hooks.slack.com.evil.example/services/T/B/X',
    'https://evilhooks.slack.com/services/T/B/X',
    'https://hooks.slack.com/triggers/T/123/abc',
    'https://example.com/discord.com/api/webhooks/1/a',
    'https://discord.com.evil.example/api/webhooks/1/a',
    'https://notdiscord.com/api/webhooks/1/a',
    'https://discord.com/channels/1/2',
    'https://discord.com/api/webhooksx/1/a',
    'https://user:discord.com@example.com/api/webhooks/1/a',
    'http://127.0.0.1:8080/api/webhooks/1/a',
    'not a url',
    '',
  ])('%s is generic', (url) => {
    expect(detectFormat(url)).toBe('generic');
  });

  it('a chosen format wins over the URL; auto detects', () => {
    expect(resolveFormat('slack', 'https://discord.com/api/webhooks/1/a')).toBe('slack');
    expect(resolveFormat('generic', 'https://hooks.slack.com/services/T/B/X')).toBe('generic');
    expect(resolveFormat('auto', 'https://discord.com/api/webhooks/1/a')).toBe('discord');
  });
});

describe('Discord payload', () => {
  it('has a username, short content and one embed with title, description, colour, timestamp and fields', () => {
    const body = discord(FAILURE);
    expect(body.username).toBe('sync-dbs');
    expect(body.content).toBe(FAILURE.title);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toHaveLength(1);
    const [embed] = body.embeds;
    expect(embed).toMatchObject({ title: FAILURE.title, description: FAILURE.text, timestamp: '2025-03-01T12:00:00.000Z' });
    expect(embed?.fields).toEqual(
      expect.arrayContaining([
        { name: 'Outcome', value: 'failed', inline: true },
        { name: 'Exit code', value: '1', inline: true },
        { name: 'Host', value: 'sync-host', inline: true },
        { name: 'Run', value: '#42', inline: true },
        { name: 'Consecutive failures', value: '3', inline: true },
      ]),
    );
  });

  it('is red for a failure, green for a recovery, orange for a refusal or a lock conflict', () => {
    const colour = (notice: RunNotice) => discord(notice).embeds[0]?.color;
    const red = colour(FAILURE);
    const green = colour(RECOVERY);
    const orange = colour({ ...FAILURE, event: 'refused' });
    expect(new Set([red, green, orange]).size).toBe(3);
    expect(colour({ ...FAILURE, event: 'lock-conflict' })).toBe(orange);
    expect(colour({ ...RECOVERY, event: 'success' })).toBe(green);
    // Red has the most red, green the most green.
    const channels = (rgb = 0) => [(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff] as const;
    expect(channels(red)[0]).toBeGreaterThan(channels(red)[1]);
    expect(channels(green)[1]).toBeGreaterThan(channels(green)[0]);
  });

  it('respects Discord limits for a very long notice, and the 6000-character embed total', () => {
    const body = discord({ ...LONG, hostname: 'h'.repeat(3000) });
    const [embed] = body.embeds;
    expect(body.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(embed?.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed?.title.endsWith('…')).toBe(true);
    expect(embed?.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embed?.description.length).toBeGreaterThan(DISCORD_LIMITS.description - 20);
    expect(embed?.description.endsWith('…')).toBe(true);
    for (const field of embed?.fields ?? []) {
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    const total = (embed?.title.length ?? 0) + (embed?.description.length ?? 0) + (embed?.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
  });

  it('never splits a surrogate pair when cutting', () => {
    const body = discord({ ...FAILURE, text: '😀'.repeat(3000) });
    const description = body.embeds[0]?.description ?? '';
    expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(description).not.toMatch(LONE_SURROGATE);
  });

  it('leaves out the run field when there is no run id', () => {
    const fields = discord({ ...FAILURE, runId: null }).embeds[0]?.fields.map((field) => field.name);
    expect(fields).not.toContain('Run');
  });
});

describe('Slack payload', () => {
  it('has fallback text and header + mrkdwn section blocks', () => {
    const body = slack(FAILURE);
    expect(body.text).toBe(FAILURE.title);
    expect(body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: FAILURE.title, emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: FAILURE.text } },
    ]);
  });

  it('respects Slack limits for a very long notice', () => {
    const body = slack(LONG);
    const [header, section] = body.blocks;
    expect(header?.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
    expect(section?.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.section);
    expect(section?.text.text.length).toBeGreaterThan(SLACK_LIMITS.section - 20);
    expect(section?.text.text.endsWith('…')).toBe(true);
    expect(body.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallback);
  });

  it('escapes &, < and > so server text cannot mention @channel or hide a link', () => {
    const body = slack({ ...FAILURE, text: 'a <!channel> & <https://evil.example|click>' });
    expect(body.blocks[1]?.text.text).toBe('a &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
  });

  it('does not leave half an entity where an escaped text is cut', () => {
    const body = slack({ ...FAILURE, text: `${'x'.repeat(SLACK_LIMITS.section - 3)}&&&&` });
    const text = body.blocks[1]?.text.text ?? '';
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.section);
    expect(text).toMatch(/x…$/);
  });
});

describe('generic payload', () => {
  it('carries every field of the notice, the text uncut', () => {
    expect(webhookPayload('generic', LONG)).toEqual({
      source: 'sync-dbs',
      event: 'failure',
      outcome: 'failed',
      exitCode: 1,
      title: LONG.title,
      text: LONG.text,
      hostname: 'sync-host',
      startedAt: '2025-03-01T12:00:00.000Z',
      runId: 42,
      consecutiveFailures: 3,
      details: LONG.details,
    });
  });

  it('is plain JSON', () => {
    const payload = webhookPayload('generic', RECOVERY);
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
    expect(payload).toMatchObject({ event: 'recovery', details: { previousConsecutiveFailures: 2 } });
  });
});
