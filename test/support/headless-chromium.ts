import { chromium, type Browser } from 'playwright-core';

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
