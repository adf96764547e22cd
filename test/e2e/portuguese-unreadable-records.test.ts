import { afterEach, describe, expect, it } from 'vitest';
import { listedLicense, listedUser, listingBody, serveListings, withMemberFirst } from '../reliability/support/hostile-rows.js';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { deviceIds, runJson } from './support/e2e-helpers.js';

// A hostile primary listing read by the CLI in Brazilian Portuguese
// (SYNC_DBS_LANG=pt-BR): each unreadable record's warning, reason included,
// comes out in Portuguese; the rest is synced.

const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });
const PT = { env: { SYNC_DBS_LANG: 'pt-BR' } };

afterEach(() => pair().primary.emulator.intercept(null));

describe('unreadable records in Brazilian Portuguese', () => {
  it('warns about each one, with its reason, in Portuguese', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('ok-1')] }), datasetOf({ licenses: [allowedLicense('ok-1')] }));
    serveListings(p.primary, {
      devices: listingBody([
        listedLicense(1, 'ok-1'),
        listedLicense(2, 'bad-date', { end_date: '15/06/2025' }),
        withMemberFirst(listedLicense(3, 'twice'), 'status', 'blocked'),
        listedLicense(4, '..'),
        listedLicense(5, 'new-1'),
      ]),
      users: listingBody([listedUser(1, 'bob', { role: 'root' })]),
    });

    const run = await runJson(p, [], PT);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('primary: registro de licença nº 1 (bad-date) ilegível, ignorado: end_date: não é uma data AAAA-MM-DD');
    expect(run.stderr).toContain('primary: registro de licença nº 2 (twice) ilegível, ignorado: o campo "status" aparece duas vezes');
    expect(run.stderr).toContain('primary: registro de licença nº 3 (..) ilegível, ignorado: device_id "..": não pode ir no caminho de uma URL (segmento de ponto); deixado como está');
    expect(run.stderr).toContain('primary: registro de revendedor nº 0 (bob) ilegível, ignorado: role: Opção inválida: esperado um de "admin"|"user"');
    expect(await deviceIds(p.backup)).toContain('new-1');
    for (const english of ['is not a YYYY-MM-DD date', 'appears twice', 'cannot be sent in a URL path', 'Invalid option']) expect(run.stderr).not.toContain(english);
  });
});
