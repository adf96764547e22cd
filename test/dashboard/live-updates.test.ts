import { describe, expect, it } from 'vitest';
import { sampleServer, sampleStatus } from './support/sample-status.js';
import { useDashboards } from './support/dashboard-fixture.js';

// GET /events against the real server: what a connected EventSource receives.

const start = useDashboards();

interface EventReader {
  /** The next event's parsed data. */
  next(): Promise<{ sections: Record<string, string> }>;
  /** Resolves when the server ends the stream. */
  ended(): Promise<void>;
  close(): void;
}

async function openEvents(url: string, headers: Record<string, string> = {}): Promise<EventReader> {
  const abort = new AbortController();
  const response = await fetch(new URL('/events', url), { headers: { Accept: 'text/event-stream', ...headers }, signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const readEvent = async (): Promise<string | null> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end !== -1) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice('data: '.length))
          .join('\n');
        if (data !== '') return data;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return {
    async next() {
      const data = await readEvent();
      if (data === null) throw new Error('the stream ended');
      return JSON.parse(data) as { sections: Record<string, string> };
    },
    async ended() {
      while ((await readEvent()) !== null);
    },
    close: () => abort.abort(),
  };
}

describe('the event stream', () => {
  it('pushes the sections on connect and again when the source changes', async () => {
    const { dashboard, source } = await start();
    const events = await openEvents(dashboard.url);
    const first = await events.next();
    expect(Object.keys(first.sections)).toEqual(['summary', 'servers', 'runs', 'last-report', 'unfinished']);
    expect(first.sections.servers).toMatch(/data-server="primary" data-role="primary" data-state="up"/);

    source.set(sampleStatus({ mode: 'failover', servers: [sampleServer({ state: 'down', consecutiveFailures: 3, consecutiveSuccesses: 0 })] }));

    const update = await events.next();
    expect(update.sections.servers).toMatch(/data-server="primary" data-role="primary" data-state="down"/);
    expect(update.sections.summary).toContain('Failover mode');
    events.close();
  });

  it('coalesces a burst of changes into one push of the last state', async () => {
    const { dashboard, source } = await start();
    const events = await openEvents(dashboard.url);
    await events.next();
    for (let failures = 1; failures <= 20; failures += 1) {
      source.set(sampleStatus({ servers: [sampleServer({ state: failures >= 3 ? 'down' : 'up', consecutiveFailures: failures, consecutiveSuccesses: 0 })] }));
    }
    const pushed = await events.next();
    expect(pushed.sections.servers).toContain('20 failed, 0 answered');
    events.close();
  });

  it('requires the token when one is set', async () => {
    const { dashboard } = await start({ token: 'stream-token-123456' });
    expect((await fetch(new URL('/events', dashboard.url))).status).toBe(401);
    const events = await openEvents(dashboard.url, { Authorization: 'Bearer stream-token-123456' });
    expect((await events.next()).sections.summary).toContain('Sync now');
    events.close();
  });

  it('ends open streams and stops listening to the source when the dashboard closes', async () => {
    const { dashboard, source } = await start();
    const events = await openEvents(dashboard.url);
    await events.next();
    expect(source.subscribers).toBe(1);
    await dashboard.close();
    await events.ended();
    expect(source.subscribers).toBe(0);
  });
});
