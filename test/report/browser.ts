import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it when missing). */
export const CHROMIUM = process.env.MODELGOV_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. */
export const BROWSER_MISSING: string | null = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run does it when apt-get can): the real-browser tests are skipped`;
if (BROWSER_MISSING) console.warn(`SKIP: ${BROWSER_MISSING}`);

/**
 * Flags that keep a headless chromium off the network: no background fetches, updates, sync or
 * first-run pings, and every host name resolves to nothing. Pages are opened from file://.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

export interface Browser {
  page: Page;
  /** Every request the page tried to send anywhere but file:// (aborted). */
  blocked: string[];
  close(): Promise<void>;
}

/** A fresh chromium (its own user-data-dir) with one page; network requests are aborted and recorded. */
export async function openBrowser(): Promise<Browser> {
  const userData = mkdtempSync(join(tmpdir(), 'modelgov-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(userData, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 900 },
  });
  const blocked: string[] = [];
  await context.route(/^(?!file:)/, (route) => {
    blocked.push(route.request().url());
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    blocked,
    async close() {
      await context.close();
      rmSync(userData, { recursive: true, force: true });
    },
  };
}
