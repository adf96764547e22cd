import { afterEach, describe, expect, it } from 'vitest';
import { formatTime, setLanguage } from '../../src/i18n/i18n.js';
import { postWebhook } from '../../src/notify/deliver.js';
import { buildRunNotice } from '../../src/notify/run-notice.js';
import { webhookPayload } from '../../src/notify/webhook-payload.js';
import { answerAlways, startReceiver } from './support/receiver.js';
import { recordingLog } from './support/recording-log.js';
import { FAILED_RUN } from './support/runs.js';

// Webhook texts in Brazilian Portuguese: the words a person reads are
// translated; the payloads' keys and codes stay as machines expect them.

afterEach(() => setLanguage('en'));

const failed = () => buildRunNotice({ kind: 'failure', outcome: 'failed' }, FAILED_RUN);

describe('notifications in Brazilian Portuguese', () => {
  it('words the notice: title, lead sentence and the detail lines', () => {
    setLanguage('pt-BR');
    const notice = failed();
    expect(notice.title).toBe('sync-dbs: a sincronização do backup falhou');
    expect(notice.text.split('\n')).toEqual([
      'A execução em sync-host falhou: o backup não está em sincronia com o primário.',
      `Veredito: ${FAILED_RUN.verdict}`,
      'Servidores: primary https://primary.example.com, backup https://backup.example.com/api',
      'Operações com falha: 2',
      'Execuções seguidas com falha: 3',
      'Duração: 12 s',
      `Máquina: sync-host, execução nº 42, início em ${formatTime(new Date(FAILED_RUN.startedAt))}`,
    ]);
  });

  it('gives Discord a Portuguese title, description and field names, with the codes kept apart', () => {
    setLanguage('pt-BR');
    const payload = webhookPayload('discord', failed()) as { content: string; embeds: { title: string; description: string; fields: { name: string; value: string }[] }[] };
    expect(payload.content).toBe('sync-dbs: a sincronização do backup falhou');
    const [embed] = payload.embeds;
    expect(embed?.title).toBe('sync-dbs: a sincronização do backup falhou');
    expect(embed?.description).toMatch(/^A execução em sync-host falhou/);
    expect(embed?.fields.map(({ name, value }) => [name, value])).toEqual([
      ['Resultado', 'falhou'],
      ['Código de saída', '1'],
      ['Máquina', 'sync-host'],
      ['Execução', '#42'],
      ['Falhas seguidas', '3'],
    ]);
  });

  it('gives Slack a Portuguese header and section', () => {
    setLanguage('pt-BR');
    const payload = webhookPayload('slack', buildRunNotice({ kind: 'recovery', previousConsecutiveFailures: 1 }, { ...FAILED_RUN, outcome: 'in-sync' })) as {
      text: string;
      blocks: { type: string; text: { text: string } }[];
    };
    expect(payload.text).toBe('sync-dbs: a sincronização do backup se recuperou');
    expect(payload.blocks[0]?.text.text).toBe('sync-dbs: a sincronização do backup se recuperou');
    expect(payload.blocks[1]?.text.text.split('\n')[0]).toBe('A execução em sync-host deu certo depois de 1 execução com falha.');
  });

  it('keeps the generic payload\'s keys and codes in English, its title and text in Portuguese', () => {
    setLanguage('pt-BR');
    const payload = webhookPayload('generic', failed());
    expect(payload).toMatchObject({ source: 'sync-dbs', event: 'failure', outcome: 'failed', title: 'sync-dbs: a sincronização do backup falhou' });
    expect(String(payload['text'])).toMatch(/^A execução em sync-host falhou/);
  });

  it('warns in Portuguese when a webhook cannot be delivered', async () => {
    setLanguage('pt-BR');
    const target = await startReceiver(answerAlways(500));
    try {
      const log = recordingLog();
      await postWebhook(`${target.url}/hooks/token`, { hello: 'world' }, { timeoutMs: 5_000, retryDelaysMs: [5, 5], log });
      expect(log.warnings()).toEqual([
        `warn Não foi possível enviar a notificação do webhook para ${target.url}: HTTP 500 após 3 tentativas. A execução não é afetada.`,
      ]);
    } finally {
      await target.close();
    }
  });
});
