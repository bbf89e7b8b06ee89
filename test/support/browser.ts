// Debian's Chromium driven by playwright-core. Suites call `withBrowser`; when
// Chromium is missing they are skipped with the reason (REQUIRE_BROWSER=1
// turns that into a failure).
import { describe } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { browserUnavailable, CHROMIUM, requireBrowser } from './env.ts';

const reason = browserUnavailable();
if (reason && requireBrowser) throw new Error(`REQUIRE_BROWSER=1 but ${reason}`);

export function browserSuite(title: string, fn: () => void): void {
  if (reason) describe(title, { skip: `skipped: ${reason}` }, () => {});
  else describe(title, fn);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
