// npx tsx scripts/dashboard-screenshots.ts — the live dashboard with sample
// status data, photographed in headless Chromium in English and in pt-BR, at
// desktop and phone widths, into docs/images/ (docs/dashboard.md shows them).
// Times are shown in São Paulo's time zone, as the user's machines would.
process.env.TZ ??= 'America/Sao_Paulo';

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startDashboard } from '../src/dashboard/dashboard-server.js';
import { setLanguage, type Language } from '../src/i18n/i18n.js';
import { silentLog } from '../src/log/log-sink.js';
import { launchChromium } from '../test/support/headless-chromium.js';
import { FakeDashboardSource } from '../test/dashboard/support/fake-dashboard-source.js';
import { sampleStatus } from '../test/dashboard/support/sample-status.js';

const OUT = join(import.meta.dirname, '..', 'docs', 'images');
const VIEWPORTS = [
  { suffix: '', width: 1280, height: 900 },
  { suffix: '-phone', width: 390, height: 844 },
] as const;

const browser = await launchChromium();
try {
  await mkdir(OUT, { recursive: true });
  for (const language of ['en', 'pt-BR'] as const satisfies readonly Language[]) {
    setLanguage(language);
    const source = new FakeDashboardSource(sampleStatus({ language }));
    const dashboard = await startDashboard({ host: '127.0.0.1', port: 0, token: null, source, log: silentLog });
    try {
      for (const viewport of VIEWPORTS) {
        const page = await browser.newPage({ viewport: { width: viewport.width, height: viewport.height }, deviceScaleFactor: 1 });
        await page.goto(dashboard.url);
        await page.locator('#live[data-connected="true"]').waitFor();
        const file = join(OUT, `dashboard-${language}${viewport.suffix}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
        await page.close();
      }
    } finally {
      await dashboard.close();
    }
  }
} finally {
  await browser.close();
}
