import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import { silentLog } from '../../src/log/log-sink.js';
import { DEFAULT_NOTIFY_ON, type NotifySettings } from '../../src/notify/notify-settings.js';
import { postTransition, transitionPayload, transitionTitle, type ServerTransitionNotice } from '../../src/notify/transition-notice.js';
import { answerAlways, startReceiver, type Receiver } from './support/receiver.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  setLanguage('en');
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

const AT = new Date('2026-12-04T12:00:00.000Z');

function aNotice(overrides: Partial<ServerTransitionNotice> = {}): ServerTransitionNotice {
  return {
    server: 'primary',
    role: 'primary',
    url: 'https://licencas.example.com',
    kind: 'down',
    to: 'down',
    at: AT,
    afterChecks: 3,
    detail: 'connection refused',
    hostname: 'escritorio-pc',
    ...overrides,
  };
}

async function receiverSettings(overrides: Partial<NotifySettings> = {}) {
  const receiver = await startReceiver(answerAlways(204));
  receivers.push(receiver);
  const settings: NotifySettings = { webhookUrl: `${receiver.url}/hook/secret-token`, format: 'generic', on: DEFAULT_NOTIFY_ON, pingUrl: null, timeoutMs: 5_000, ...overrides };
  return { receiver, settings };
}

describe('the webhook of a server transition', () => {
  it('generic JSON: the event, the server and its URL, the state, when and why', () => {
    expect(transitionPayload('generic', aNotice())).toEqual({
      source: 'sync-dbs',
      event: 'server-down',
      server: 'primary',
      role: 'primary',
      url: 'https://licencas.example.com',
      state: 'down',
      at: '2026-12-04T12:00:00.000Z',
      afterChecks: 3,
      detail: 'connection refused',
      hostname: 'escritorio-pc',
      title: 'sync-dbs: the primary server primary is down',
      text: expect.stringContaining('primary (https://licencas.example.com) failed 3 health checks in a row') as unknown,
    });
  });

  it('says what comes next when the primary is back, and names a sleeping server as such', () => {
    const back = transitionPayload('generic', aNotice({ kind: 'back', to: 'up', detail: null }));
    expect(back).toMatchObject({ event: 'server-back', title: 'sync-dbs: the primary server primary is back' });
    expect(back.text).toContain('A reconciling sync starts now.');
    expect(transitionTitle(aNotice({ server: 'render', role: 'backup', to: 'asleep' }))).toBe('sync-dbs: render is not answering (asleep or overloaded)');
    expect(transitionTitle(aNotice({ server: 'render', role: 'backup', kind: 'back', to: 'up' }))).toBe('sync-dbs: the backup server render is back');
  });

  it('Discord: an embed with the server, its URL and the checks; no mention can ping', () => {
    const body = transitionPayload('discord', aNotice({ server: '@everyone' })) as { allowed_mentions: unknown; embeds: { fields: { name: string; value: string }[]; color: number }[] };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]?.fields.map((field) => [field.name, field.value])).toEqual([
      ['Server', '@everyone'],
      ['URL', 'https://licencas.example.com'],
      ['Checks in a row', '3'],
    ]);
  });

  it('Slack: a header and an escaped section', () => {
    const body = transitionPayload('slack', aNotice({ detail: '<!channel> refused' })) as { blocks: { text: { text: string } }[] };
    expect(body.blocks[0]?.text.text).toBe('sync-dbs: the primary server primary is down');
    expect(body.blocks[1]?.text.text).toContain('&lt;!channel&gt; refused');
  });

  it('in Brazilian Portuguese', () => {
    setLanguage('pt-BR');
    expect(transitionTitle(aNotice())).toBe('sync-dbs: o servidor primário primary está fora do ar');
    expect(transitionPayload('generic', aNotice({ kind: 'back', to: 'up', detail: null })).text).toContain('Uma sincronização de reconciliação começa agora.');
  });

  it('is posted to the webhook, and carries no more than the notice (no credential to leak)', async () => {
    const { receiver, settings } = await receiverSettings();
    expect(await postTransition(settings, aNotice(), silentLog)).toBe(true);
    expect(receiver.requests).toHaveLength(1);
    expect(Object.keys(receiver.requests[0]?.json as object).sort()).toEqual(['afterChecks', 'at', 'detail', 'event', 'hostname', 'role', 'server', 'source', 'state', 'text', 'title', 'url']);
  });

  it('follows --notify-on: a down is a failure, a return a recovery; nothing without a webhook', async () => {
    const { receiver, settings } = await receiverSettings({ on: new Set(['failure']) });
    expect(await postTransition(settings, aNotice({ kind: 'back', to: 'up' }), silentLog)).toBe(false);
    expect(await postTransition(settings, aNotice(), silentLog)).toBe(true);
    expect(await postTransition({ ...settings, webhookUrl: null }, aNotice(), silentLog)).toBe(false);
    expect(receiver.requests).toHaveLength(1);
  });
});
