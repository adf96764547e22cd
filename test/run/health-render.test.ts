import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import { EXIT_CODES } from '../../src/outcome/exit-codes.js';
import { renderHealth, type HealthResult, type ServerHealth } from '../../src/run/health-run.js';

// `sync-dbs health` as text, in each language (the e2e tests in
// test/e2e/health.test.ts run it against emulators, in English).

const healthy = (server: string, url: string, overrides: Partial<ServerHealth> = {}): ServerHealth => ({
  server,
  url,
  reachable: true,
  latencyMs: 1234,
  loginWorks: true,
  role: 'admin',
  mustChangePassword: false,
  users: 1,
  licenses: 12_345,
  unreadableRecords: 0,
  problem: null,
  ...overrides,
});

const ALL_WELL: HealthResult = {
  servers: [healthy('primary', 'https://a.example.com'), healthy('backup', 'https://b.example.com', { users: 2, licenses: 1 })],
  exitCode: EXIT_CODES.inSync,
};

const TROUBLE: HealthResult = {
  servers: [
    healthy('primary', 'https://a.example.com', { mustChangePassword: true, unreadableRecords: 3 }),
    healthy('backup', 'https://b.example.com', {
      reachable: false,
      latencyMs: null,
      loginWorks: null,
      role: null,
      mustChangePassword: null,
      users: null,
      licenses: null,
      unreadableRecords: null,
      problem: 'GET /health: no-such-host',
    }),
  ],
  exitCode: EXIT_CODES.unreachable,
};

afterEach(() => {
  setLanguage('en');
});

describe('renderHealth', () => {
  it('writes each server, its counts and the verdict in English', () => {
    expect(renderHealth(ALL_WELL)).toBe(
      [
        'primary https://a.example.com',
        '  reachable: yes (1,234 ms)',
        '  login: works, role admin',
        '  records: 1 user, 12,345 licenses',
        '',
        'backup  https://b.example.com',
        '  reachable: yes (1,234 ms)',
        '  login: works, role admin',
        '  records: 2 users, 1 license',
        '',
        'Healthy: both servers answer and the accounts are admins.',
        '',
      ].join('\n'),
    );
  });

  it('writes the problems and the verdict in English', () => {
    const text = renderHealth(TROUBLE);
    expect(text).toContain('  login: works, role admin, must change password\n  records: 1 user, 12,345 licenses, 3 unreadable\n');
    expect(text).toContain('backup  https://b.example.com\n  reachable: no\n  login: not tried\n  problem: GET /health: no-such-host\n');
    expect(text).toMatch(/NOT healthy: see the problems above\.\n$/);
  });

  it('writes the same in Brazilian Portuguese, numbers the Brazilian way', () => {
    setLanguage('pt-BR');
    expect(renderHealth(ALL_WELL)).toBe(
      [
        'primary https://a.example.com',
        '  alcançável: sim (1.234 ms)',
        '  login: funciona, papel admin',
        '  registros: 1 revendedor, 12.345 licenças',
        '',
        'backup  https://b.example.com',
        '  alcançável: sim (1.234 ms)',
        '  login: funciona, papel admin',
        '  registros: 2 revendedores, 1 licença',
        '',
        'Saudável: os dois servidores respondem e as contas são de administrador.',
        '',
      ].join('\n'),
    );
    const text = renderHealth(TROUBLE);
    expect(text).toContain('  login: funciona, papel admin, precisa trocar a senha\n  registros: 1 revendedor, 12.345 licenças, 3 ilegíveis\n');
    expect(text).toContain('  alcançável: não\n  login: não tentado\n  problema: GET /health: no-such-host\n');
    expect(text).toMatch(/NÃO saudável: veja os problemas acima\.\n$/);
  });

  it('counts more than two servers', () => {
    const three: HealthResult = { ...ALL_WELL, servers: [...ALL_WELL.servers, healthy('backup-2', 'https://c.example.com')] };
    expect(renderHealth(three)).toMatch(/Healthy: all 3 servers answer and the accounts are admins\.\n$/);
    setLanguage('pt-BR');
    expect(renderHealth(three)).toMatch(/Saudável: todos os 3 servidores respondem e as contas são de administrador\.\n$/);
  });
});
