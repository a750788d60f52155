/**
 * Real Chromium for the UI tests, through playwright-core (never a downloaded browser):
 * /usr/bin/chromium (TRACEDOCK_CHROMIUM overrides), headless, a fresh profile per session,
 * loopback only. Every dialog, uncaught page error and console error is recorded in
 * `problems`, so that a test can fail on any (the XSS test relies on it).
 *
 * @example
 * if (!chromiumAvailable()) return;
 * const session = await openBrowser();
 * await session.step('search', async (page) => { await page.goto(url); ... });
 * expect(session.problems).toEqual([]);
 * await session.close();
 */
import { existsSync, statSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { available, chromiumPath, fileExists, repoRoot } from './env.js';

export const SCREENSHOT_DIR = join(repoRoot, 'test-results', 'screenshots');
export const UI_DIST_INDEX = join(repoRoot, 'packages', 'ui', 'dist', 'index.html');
const UI_SRC_DIR = join(repoRoot, 'packages', 'ui', 'src');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Readable at 1280×800 is a requirement; the tests look at the UI that size. */
export const VIEWPORT = { width: 1280, height: 800 };
const ACTION_TIMEOUT_MILLIS = 15_000;

export function chromiumAvailable(): boolean {
  return available('Chromium', fileExists(chromiumPath), 'apt-get install -y chromium (../shared/ENVIRONMENT.md), or set TRACEDOCK_CHROMIUM');
}

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // Unit tests beside the code are not part of the build.
    if (entry.isFile() && entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Throws unless packages/ui/dist holds a build at least as new as packages/ui/src: the
 * collector serves that folder, and a stale build would test yesterday's UI.
 */
export function requireUiBuild(): void {
  const howTo = 'build it with `npm run build -w packages/ui` (the root `npm run build` does it too)';
  if (!existsSync(UI_DIST_INDEX)) throw new Error(`${UI_DIST_INDEX} is missing: ${howTo}`);
  if (statSync(UI_DIST_INDEX).mtimeMs < newestMtimeMs(UI_SRC_DIR)) {
    throw new Error(`packages/ui/dist is older than packages/ui/src: ${howTo}`);
  }
}

export interface BrowserSession {
  page: Page;
  context: BrowserContext;
  /** Dialogs, page errors and console errors seen so far, as text. */
  problems: string[];
  /** Saves a full-page screenshot under test-results/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Runs `body`; on failure saves `failure-<name>.png` and rethrows. */
  step<T>(name: string, body: (page: Page) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** Console errors to accept, e.g. a request the UI makes knowing it may fail. */
  ignoreConsole?: (message: ConsoleMessage) => boolean;
  colorScheme?: 'light' | 'dark';
}

export async function openBrowser(options: BrowserOptions = {}): Promise<BrowserSession> {
  const profileDir = await mkdtemp(join(tmpdir(), 'tracedock-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    colorScheme: options.colorScheme ?? 'light',
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MILLIS);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    problems.push(`dialog (${dialog.type()}): ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' || options.ignoreConsole?.(message) === true) return;
    problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  const screenshot = async (name: string): Promise<string> => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  };
  return {
    page,
    context,
    problems,
    screenshot,
    async step(name, body) {
      try {
        return await body(page);
      } catch (error) {
        const saved = await screenshot(`failure-${name}`).catch(() => 'none (the screenshot failed too)');
        if (error instanceof Error) error.message += `\n(screenshot: ${saved})`;
        throw error;
      }
    },
    async close() {
      await context.close().catch(() => undefined);
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}
