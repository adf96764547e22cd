import { afterEach } from 'vitest';
import { startDashboard, type RunningDashboard } from '../../../src/dashboard/dashboard-server.js';
import type { DashboardStatus } from '../../../src/dashboard/dashboard-status.js';
import type { LogSink } from '../../../src/log/log-sink.js';
import { FakeDashboardSource } from './fake-dashboard-source.js';
import { sampleStatus } from './sample-status.js';

export interface StartedDashboard {
  readonly dashboard: RunningDashboard;
  readonly source: FakeDashboardSource;
  /** Every line logged, to check that no secret reached them. */
  readonly logLines: string[];
}

/** Starts real dashboards on 127.0.0.1, port 0, over a fake source; closes them after each test. */
export function useDashboards(): (options?: { token?: string | null; host?: string; status?: DashboardStatus }) => Promise<StartedDashboard> {
  const started: RunningDashboard[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((dashboard) => dashboard.close()));
  });
  return async (options = {}) => {
    const source = new FakeDashboardSource(options.status ?? sampleStatus());
    const logLines: string[] = [];
    const log: LogSink = {
      debug: (line) => logLines.push(line),
      info: (line) => logLines.push(line),
      warn: (line) => logLines.push(line),
      error: (line) => logLines.push(line),
    };
    const dashboard = await startDashboard({ host: options.host ?? '127.0.0.1', port: 0, token: options.token ?? null, source, log });
    started.push(dashboard);
    return { dashboard, source, logLines };
  };
}

/** The CSRF token the page embeds. */
export function csrfTokenOf(page: string): string {
  const match = /<meta name="sync-dbs-csrf" content="([^"]+)">/.exec(page);
  if (match?.[1] === undefined) throw new Error('the page has no CSRF token');
  return match[1];
}
