import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockingFindings, readAuditAnswer, runNpmAudit, SEVERITIES, withRetries, type AuditAnswer } from './support/security-audit.js';

// The production dependencies carry no high or critical advisory: `npm audit
// --omit=dev` asks the registry, in CI as on a developer's machine. A registry
// that cannot be reached fails the check (an audit that did not run proves
// nothing). A registry that answers that it serves no audits at all (the npm
// mirror of the development machines and their CI allows only GET, and the
// audit is a POST: 405) cannot be asked by anyone: the check is then reported
// as skipped, with the registry's answer, never as passed. The second part
// feeds recorded answers to the same reading, so that the check is seen to
// fail on an advisory.

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const NPM_AUDIT_TIMEOUT_MS = 120_000;

function describeFindings(answer: Extract<AuditAnswer, { kind: 'report' }>): string {
  return blockingFindings(answer.findings)
    .map((finding) => `${finding.name} (${finding.severity}): ${finding.titles.join('; ')}`)
    .join('\n');
}

describe('npm audit --omit=dev', () => {
  it(
    'reports no high or critical advisory for the production dependencies',
    async (context) => {
      const answer = await withRetries(() => runNpmAudit(REPOSITORY, NPM_AUDIT_TIMEOUT_MS));
      if (answer.kind === 'unavailable' && answer.endpointRefused) {
        console.warn(`npm audit --omit=dev NOT CHECKED: the registry does not serve audits here (${answer.reason})`);
        context.skip(`the registry refuses the audit endpoint: ${answer.reason}`);
      }
      if (answer.kind === 'unavailable') {
        throw new Error(`npm audit could not ask the registry for advisories, so the production dependencies were not checked: ${answer.reason}`);
      }
      console.log(`npm audit --omit=dev: ${SEVERITIES.map((severity) => `${answer.counts[severity]} ${severity}`).join(', ')}`);
      expect(blockingFindings(answer.findings), describeFindings(answer)).toEqual([]);
      expect(answer.counts.high + answer.counts.critical).toBe(0);
    },
    3 * NPM_AUDIT_TIMEOUT_MS + 60_000,
  );
});

describe('reading npm audit’s answer', () => {
  const report = (vulnerabilities: Record<string, unknown>, counts: Partial<Record<string, number>>) =>
    JSON.stringify({
      auditReportVersion: 2,
      vulnerabilities,
      metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts }, dependencies: { prod: 12 } },
    });

  it('lists a high and a critical advisory by package and title, and passes a moderate one', () => {
    const answer = readAuditAnswer(
      report(
        {
          axios: { name: 'axios', severity: 'high', via: [{ source: 1, name: 'axios', title: 'SSRF via absolute URL', url: 'https://github.com/advisories/GHSA-x' }] },
          'form-data': { name: 'form-data', severity: 'critical', via: [{ source: 2, name: 'form-data', title: 'Unsafe random boundary' }] },
          winston: { name: 'winston', severity: 'high', via: ['logform'] },
          zod: { name: 'zod', severity: 'moderate', via: [{ source: 3, name: 'zod', title: 'ReDoS' }] },
        },
        { high: 2, critical: 1, moderate: 1, total: 4 },
      ),
    );
    expect(answer.kind).toBe('report');
    if (answer.kind !== 'report') return;
    expect(answer.counts).toEqual({ info: 0, low: 0, moderate: 1, high: 2, critical: 1 });
    expect(blockingFindings(answer.findings)).toEqual([
      { name: 'axios', severity: 'high', titles: ['SSRF via absolute URL (https://github.com/advisories/GHSA-x)'] },
      { name: 'form-data', severity: 'critical', titles: ['Unsafe random boundary'] },
      { name: 'winston', severity: 'high', titles: ['via logform'] },
    ]);
    expect(describeFindings(answer)).toMatch(/^axios \(high\): SSRF via absolute URL/);
  });

  it('finds nothing in a clean report', () => {
    const answer = readAuditAnswer(report({}, {}));
    expect(answer).toEqual({ kind: 'report', counts: { info: 0, low: 0, moderate: 0, high: 0, critical: 0 }, findings: [] });
  });

  it('tells a registry that refuses the audit (not retried) from a network failure (retried)', () => {
    // What this machine's registry answered when the check was written.
    const refused = readAuditAnswer(
      JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405, error: { summary: '', detail: '' } }),
    );
    expect(refused).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/^405 Method Not Allowed/), retryable: false, endpointRefused: true });
    const offline = readAuditAnswer(JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'request to https://registry.npmjs.org failed, reason: getaddrinfo ENOTFOUND' } }));
    expect(offline).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/ENOTFOUND/), retryable: true, endpointRefused: false });
    expect(readAuditAnswer('npm error code E500')).toMatchObject({ kind: 'unavailable', retryable: true, endpointRefused: false });
    const serverError = readAuditAnswer(JSON.stringify({ message: '503 Service Unavailable', statusCode: 503 }));
    expect(serverError).toMatchObject({ kind: 'unavailable', retryable: true, endpointRefused: false });
  });
});

describe('asking npm audit again', () => {
  const network: AuditAnswer = { kind: 'unavailable', reason: '503 Service Unavailable', retryable: true, endpointRefused: false };
  const refused: AuditAnswer = { kind: 'unavailable', reason: '405 Method Not Allowed', retryable: false, endpointRefused: true };
  const clean: AuditAnswer = { kind: 'report', counts: { info: 0, low: 0, moderate: 0, high: 0, critical: 0 }, findings: [] };
  const answering = (answers: AuditAnswer[]) => {
    const asked = { count: 0 };
    return { asked, audit: () => Promise.resolve(answers[asked.count++] ?? clean) };
  };

  it('asks again after a network failure, up to three times in all', async () => {
    const twice = answering([network, network, clean]);
    expect(await withRetries(twice.audit, 3, 0)).toEqual(clean);
    expect(twice.asked.count).toBe(3);
    const always = answering([network, network, network, clean]);
    expect(await withRetries(always.audit, 3, 0)).toEqual(network);
    expect(always.asked.count).toBe(3);
  });

  it('does not ask again a registry that refused the audit, nor after a report', async () => {
    const refusing = answering([refused, clean]);
    expect(await withRetries(refusing.audit, 3, 0)).toEqual(refused);
    expect(refusing.asked.count).toBe(1);
    const reporting = answering([clean, network]);
    expect(await withRetries(reporting.audit, 3, 0)).toEqual(clean);
    expect(reporting.asked.count).toBe(1);
  });
});
