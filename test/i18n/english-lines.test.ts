import { describe, expect, it } from 'vitest';
import { englishLines, englishWordsIn } from '../support/english-lines.js';

// The detector the Portuguese end-to-end test relies on: it must flag what
// the CLI prints in English today, and pass Portuguese with the identifiers
// that stay as they are (flags, env names, URLs, device ids, server names).

/** Lines the CLI (and the demo) printed in English, copied from their output. */
const ENGLISH = [
  '2026-12-04T13:59:02.755Z warn  backup: the server asks this account to change its password',
  '2026-12-04T13:59:02.754Z info  backup: logged in as admin (role admin)',
  '2026-12-04T13:59:02.763Z info  read primary: 3 users, 30 licenses',
  '2026-12-04T13:59:02.798Z warn  primary → backup: license ab613dad8c637f4989b807d757d6864f: not on primary; blocked on backup so that it refuses it too (pass --delete to propagate deletions)',
  'Result: In sync: 20 writes applied and verified. WARNING: 2 license deletions not carried out (restored, or blocked where the primary deleted it); still pending: a run with --delete carries them out, see "deletion-pending".',
  'Unreachable: the primary (GET /health: not awake after 0 s (--wake-timeout); last answer: connection refused (ECONNREFUSED)). Nothing was written.',
  "  the last run succeeded 895 ms ago (expected every 1 h)",
  'Applied: 20 of 20 operations done, 0 failed.',
  'Verified: both sides re-listed, nothing left to do.',
  '  PASS  same allow/deny on both servers: all 32 licenses either server lists',
  "The default sync is the round trip: on this first run (no base yet) the primary's version of each license",
  '[demo] the primary (http://127.0.0.1:41087) stopped; clients fail over to the backup.',
  '2026-12-04T14:02:39.436Z warn  render POST /admin/devices/:device_id/deactivate [L-004]: HTTP 500 (HTML page) (attempt 1 of 2; retrying)',
  'Took 0.1 s.',
];

/** Portuguese as the translated CLI would print it, identifiers and data included. */
const PORTUGUESE = [
  '04/12/2026 10:59:02 UTC-03:00 aviso  backup: o servidor pede que esta conta troque a senha',
  '04/12/2026 10:59:02 UTC-03:00 info  primary: conectado como admin (papel admin)',
  'Resultado: em sincronia: 20 gravações aplicadas e verificadas. ATENÇÃO: 2 exclusões de licenças não feitas; ainda pendente: uma execução com --delete as faz, veja "deletion-pending".',
  'Inacessível: o primário (GET /health: não acordou em 0 s (--wake-timeout); última resposta: conexão recusada (ECONNREFUSED)). Nada foi gravado.',
  'Falha ao gravar em render (POST /admin/devices/create, licença ab613dad8c637f4989b807d757d6864f): HTTP 500',
  'defina SYNC_DBS_PRIMARY_URL ou passe --primary-url https://licencas.example.com.br; até 9 backups (SYNC_DBS_BACKUP_9_URL)',
  'a última execução deu certo há 895 ms (esperada a cada 1 h, --expect-every); desatualizada após 2 h sem sucesso',
  '  → backup licença license:L-001: no primary, ausente no backup koyeb; então bloqueada: o primário a nega (in-sync, writes-failed)',
  'Divergência que a API não corrige (13): user-email (1): o e-mail do revendedor difere; nenhuma rota altera um revendedor já criado',
  '  e-mail "the customer was written to the server" (dado do servidor, entre aspas)',
  '{"verdict": "In sync: nothing to do", "outcome": "in-sync"}',
  '  "verdict": "In sync: nothing to do",',
  '2026-12-04T14:02:12.465Z error render POST /admin/login [admin]: HTTP 500 (página HTML) (após 2 tentativas)',
  '  tentativa 1 de 2; nova tentativa em 0,5 s',
  'sync-dbs status: saudável',
  'Senhas dos novos revendedores: /tmp/sync-dbs-state-x/new-user-passwords.txt (só o operador que rodou o sync-dbs pode ler)',
];

describe('englishLines', () => {
  it.each(ENGLISH)('flags the English line %j', (line) => {
    expect(englishLines(line)).toEqual([{ line, words: expect.arrayContaining([expect.any(String), expect.any(String)]) }]);
  });

  it.each(PORTUGUESE)('passes the Portuguese line %j', (line) => {
    expect(englishLines(line)).toEqual([]);
  });

  it('names the English words it found, each once, in order', () => {
    expect(englishWordsIn('the server: the license was not written')).toEqual(['the', 'server', 'license', 'was', 'not', 'written']);
  });

  it('does not read flags, env names, URLs, paths, codes, ids or quoted data as words', () => {
    expect(englishWordsIn('--the-server SYNC_DBS_WAS_NOT https://the.server/was/not C:\\the\\server in-sync L-001-the "was not written" all-2-done')).toEqual([]);
  });

  it('does not read the names given as words (a server called "render" or a backup named after a word)', () => {
    expect(englishLines('backup stale: 3 licenças', { names: ['stale'] })).toEqual([]);
    expect(englishLines('stale: licença not here')).toHaveLength(1);
  });

  it('does not split Portuguese words into English fragments ("até" is not "at")', () => {
    expect(englishWordsIn('até não está então')).toEqual([]);
  });

  it('flags a short line mostly made of one English word, not a longer Portuguese one that quotes it', () => {
    expect(englishLines('Took 0.1 s.')).toHaveLength(1);
    expect(englishLines('  create licenses (1)')).toHaveLength(1);
    expect(englishLines('Read:')).toHaveLength(1);
    expect(englishLines('licença L-1 (done): bloqueada logo após a criação')).toEqual([]);
    expect(englishLines('Levou 0,1 s.')).toEqual([]);
  });

  it('finds every English line of a longer text, one flagged line per line', () => {
    const text = ['Resultado: em sincronia.', 'the run failed', '', 'Levou 0,1 s.', 'it was written'].join('\n');
    expect(englishLines(text).map((found) => found.line)).toEqual(['the run failed', 'it was written']);
  });
});
