import { STATUS_FORMAT, type DashboardStatus, type HealthSampleStatus, type RunStatus, type ServerStatus } from '../../../src/dashboard/dashboard-status.js';

// A believable status: a primary and two backups watched for three hours,
// two days of hourly runs with a few failures, the last report and an
// unfinished operation. Used by the tests and the screenshot script.

export const SAMPLE_NOW = '2026-03-10T15:00:00.000Z';
const NOW_MS = Date.parse(SAMPLE_NOW);
const iso = (ms: number): string => new Date(ms).toISOString();
const minutesAgo = (minutes: number): string => iso(NOW_MS - minutes * 60_000);

function samples(base: number, failingFrom: number | null): HealthSampleStatus[] {
  return Array.from({ length: 90 }, (_, index) => {
    const at = minutesAgo(178 - index * 2);
    if (failingFrom !== null && index >= failingFrom) return { at, ok: false, latencyMs: null };
    const latencyMs = Math.round(base + 18 * Math.sin(index / 5) + ((index * 37) % 11));
    return { at, ok: index % 41 !== 17, latencyMs: index % 41 === 17 ? null : latencyMs };
  });
}

export function sampleServer(overrides: Partial<ServerStatus> = {}): ServerStatus {
  return {
    name: 'primary',
    role: 'primary',
    url: 'https://licencas.example.com.br',
    state: 'up',
    consecutiveFailures: 0,
    consecutiveSuccesses: 42,
    latencyMs: 84,
    lastCheckAt: minutesAgo(0.5),
    lastChangeAt: minutesAgo(26 * 60),
    lastFailure: null,
    samples: samples(80, null),
    lastSync: { runId: 48, at: minutesAgo(58), exitCode: 0, inSync: true },
    records: { users: 1284, licenses: 3920, at: minutesAgo(58) },
    agreement: null,
    ...overrides,
  };
}

function sampleRuns(): RunStatus[] {
  const triggers = ['schedule', 'schedule', 'primary-back', 'schedule', 'manual'] as const;
  return Array.from({ length: 48 }, (_, index): RunStatus => {
    const id = 48 - index;
    const startedMs = NOW_MS - (index + 1) * 3_600_000 + 120_000;
    const failed = id % 13 === 0 || id === 46;
    const durationMs = failed ? 95_000 : 20_000 + ((id * 7919) % 40_000);
    return {
      id,
      command: 'sync',
      startedAt: iso(startedMs),
      finishedAt: iso(startedMs + durationMs),
      exitCode: failed ? 1 : 0,
      outcome: failed ? 'failed' : id % 9 === 0 ? 'changes-pending' : 'in-sync',
      trigger: index === 47 ? 'start' : id < 20 ? null : (triggers[id % triggers.length] ?? 'schedule'),
    };
  });
}

/** What serve would have worded from the report catalogs, in each language (the screenshots show them). */
const SAMPLE_TEXTS = {
  en: {
    report: 'sync-dbs sync: primary → backup-sp, backup-rj\n\nbackup-sp: in sync (2 writes applied and verified).\nbackup-rj: unreachable (connect ECONNREFUSED).\n\nResult: backup-rj could not be reached; it will be synced when it answers again.\n',
    unfinished: ['backup-rj: block license PDV-0231-A (sent, answer unknown)', 'backup-rj: create license NB-LOJA-12 (never sent)'],
  },
  'pt-BR': {
    report: 'sync-dbs sync: primary → backup-sp, backup-rj\n\nbackup-sp: em sincronia (2 escritas aplicadas e verificadas).\nbackup-rj: sem acesso (connect ECONNREFUSED).\n\nResultado: backup-rj não respondeu; será sincronizado quando voltar a responder.\n',
    unfinished: ['backup-rj: bloquear a licença PDV-0231-A (enviada, resposta desconhecida)', 'backup-rj: criar a licença NB-LOJA-12 (não enviada)'],
  },
} as const;

export function sampleStatus(overrides: Partial<DashboardStatus> = {}): DashboardStatus {
  return {
    format: STATUS_FORMAT,
    generatedAt: SAMPLE_NOW,
    language: 'en',
    mode: 'primary',
    servers: [
      sampleServer(),
      sampleServer({
        name: 'backup-sp',
        role: 'backup',
        url: 'https://backup-sp.example.com.br',
        latencyMs: 41,
        samples: samples(40, null),
        consecutiveSuccesses: 90,
        records: { users: 1284, licenses: 3920, at: minutesAgo(58) },
        agreement: { at: minutesAgo(57), licenses: 3920, agreeing: 3920, differing: [] },
      }),
      sampleServer({
        name: 'backup-rj',
        role: 'backup',
        url: 'http://10.0.4.12:8080',
        state: 'down',
        consecutiveFailures: 7,
        consecutiveSuccesses: 0,
        latencyMs: null,
        lastChangeAt: minutesAgo(10),
        lastFailure: { kind: 'down', detail: 'connect ECONNREFUSED 10.0.4.12:8080' },
        samples: samples(120, 83),
        lastSync: { runId: 47, at: minutesAgo(118), exitCode: 1, inSync: false },
        records: { users: 1281, licenses: 3911, at: minutesAgo(118) },
        agreement: {
          at: minutesAgo(117),
          licenses: 3920,
          agreeing: 3916,
          differing: [
            { deviceId: 'PDV-0231-A', primary: 'deny', backup: 'allow' },
            { deviceId: 'PDV-0877-C', primary: 'allow', backup: 'absent' },
            { deviceId: 'NB-LOJA-12', primary: 'allow', backup: 'absent' },
            { deviceId: 'PDV-1102-B', primary: 'deny', backup: 'allow' },
          ],
        },
      }),
    ],
    running: null,
    nextScheduledAt: iso(NOW_MS + 60 * 60_000),
    settings: { schedule: '0 * * * *', healthIntervalMs: 60_000, downAfter: 3, upAfter: 3 },
    runs: sampleRuns(),
    lastReport: {
      runId: 48,
      startedAt: minutesAgo(58),
      text: SAMPLE_TEXTS[overrides.language === 'pt-BR' ? 'pt-BR' : 'en'].report,
    },
    unfinished: { runId: 47, operations: SAMPLE_TEXTS[overrides.language === 'pt-BR' ? 'pt-BR' : 'en'].unfinished },
    ...overrides,
  };
}
