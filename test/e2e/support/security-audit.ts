import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

// `npm audit --omit=dev --json`: running it, and reading its answer. npm
// prints either a report (auditReportVersion 2) or, when the registry could
// not be asked, an error object; both on stdout. stderr carries npm's own
// warnings (an unknown user config on some machines) and is not read.

export const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const BLOCKING_SEVERITIES: readonly Severity[] = ['high', 'critical'];

export interface AuditFinding {
  readonly name: string;
  readonly severity: Severity;
  /** Advisory titles, or `via <package>` for a package vulnerable only through a dependency. */
  readonly titles: readonly string[];
}

export type AuditAnswer =
  | { readonly kind: 'report'; readonly counts: Readonly<Record<Severity, number>>; readonly findings: readonly AuditFinding[] }
  | {
      readonly kind: 'unavailable';
      readonly reason: string;
      readonly retryable: boolean;
      /** The registry answered that it does not serve audits at all (405, 404, 501), as a mirror that allows only GET does. */
      readonly endpointRefused: boolean;
    };

/** Socket-level failures worth one more try; an HTTP refusal (4xx) is not one. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EPIPE']);

interface NpmAuditVulnerability {
  readonly name?: unknown;
  readonly severity?: unknown;
  readonly via?: readonly unknown[];
}

function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

function titlesOf(vulnerability: NpmAuditVulnerability): string[] {
  return (vulnerability.via ?? []).map((via) => {
    if (typeof via === 'string') return `via ${via}`;
    const { title, url } = (via ?? {}) as { title?: unknown; url?: unknown };
    return `${typeof title === 'string' ? title : 'untitled advisory'}${typeof url === 'string' ? ` (${url})` : ''}`;
  });
}

/** Reads what `npm audit --json` printed on stdout. */
export function readAuditAnswer(stdout: string): AuditAnswer {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    return { kind: 'unavailable', reason: `npm audit printed no JSON: ${JSON.stringify(stdout.slice(0, 200))}`, retryable: true, endpointRefused: false };
  }
  const answer = (data ?? {}) as { vulnerabilities?: Record<string, NpmAuditVulnerability>; metadata?: { vulnerabilities?: Record<string, unknown> }; message?: unknown; statusCode?: unknown; code?: unknown; error?: { code?: unknown; summary?: unknown } };
  const totals = answer.metadata?.vulnerabilities;
  if (answer.vulnerabilities !== undefined && totals !== undefined) {
    const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, Number(totals[severity] ?? 0)])) as Record<Severity, number>;
    // A severity npm might add later fails closed.
    const findings = Object.entries(answer.vulnerabilities).map(([name, vulnerability]) => ({
      name: typeof vulnerability.name === 'string' ? vulnerability.name : name,
      severity: isSeverity(vulnerability.severity) ? vulnerability.severity : 'critical',
      titles: titlesOf(vulnerability),
    }));
    return { kind: 'report', counts, findings };
  }
  const code = typeof answer.error?.code === 'string' ? answer.error.code : typeof answer.code === 'string' ? answer.code : null;
  const status = typeof answer.statusCode === 'number' ? answer.statusCode : null;
  const message = [answer.message, answer.error?.summary].find((text): text is string => typeof text === 'string' && text !== '') ?? 'no message';
  return {
    kind: 'unavailable',
    reason: `${message}${code === null ? '' : ` (${code})`}`,
    retryable: (code !== null && NETWORK_CODES.has(code)) || (status !== null && status >= 500 && status !== 501),
    endpointRefused: status === 405 || status === 404 || status === 501,
  };
}

/** The findings that fail the check. */
export function blockingFindings(findings: readonly AuditFinding[]): AuditFinding[] {
  return findings.filter((finding) => BLOCKING_SEVERITIES.includes(finding.severity));
}

/** Runs `npm audit --omit=dev --json` in `cwd`; a run that times out counts as a network failure. */
export function runNpmAudit(cwd: string, timeoutMs: number): Promise<AuditAnswer> {
  return new Promise((resolve) => {
    execFile('npm', ['audit', '--omit=dev', '--json'], { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error !== null && error.killed === true) {
        resolve({ kind: 'unavailable', reason: `npm audit did not answer within ${timeoutMs / 1000} s`, retryable: true, endpointRefused: false });
        return;
      }
      // npm audit exits non-zero whenever it finds anything: the answer is what it printed.
      resolve(readAuditAnswer(stdout));
    });
  });
}

/** `audit()` (a `runNpmAudit`), tried again after a network failure (a registry's passing 5xx or a hung request), up to `attempts` times in all. */
export async function withRetries(audit: () => Promise<AuditAnswer>, attempts = 3, pauseMs = 10_000): Promise<AuditAnswer> {
  let answer = await audit();
  for (let attempt = 2; attempt <= attempts && answer.kind === 'unavailable' && answer.retryable; attempt++) {
    await sleep(pauseMs);
    answer = await audit();
  }
  return answer;
}
