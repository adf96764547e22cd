import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

// Debian's Chromium (scripts/ensure-browser.mjs installs it), or CHROMIUM_PATH.
// Without the background-networking flags Chromium keeps trying to reach
// Google's hosts, which this sandbox's closed network refuses.

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const BROWSER_TIMEOUT_MS = 60_000;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** One browser for the calling file's tests: launched before them, closed after. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, BROWSER_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
  }, BROWSER_TIMEOUT_MS);
  return () => {
    if (!browser) throw new Error('useChromium: the browser is only there inside a test');
    return browser;
  };
}

/** The page's uncaught errors and console errors, as they come. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

export interface WatchedPage {
  readonly page: Page;
  /** Requests sent anywhere but the opened URL's origin. */
  readonly foreign: string[];
  readonly errors: string[];
}

/** A new page opened on `url`, with the errors it logs and any request it sends elsewhere than `url`'s origin. */
export async function openWatchedPage(browser: Browser, url: string, options: { readonly timeoutMs?: number } = {}): Promise<WatchedPage> {
  const page = await browser.newPage();
  if (options.timeoutMs !== undefined) page.setDefaultTimeout(options.timeoutMs);
  const origin = new URL(url).origin;
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) foreign.push(request.url());
  });
  const errors = collectPageErrors(page);
  await page.goto(url);
  return { page, foreign, errors };
}
