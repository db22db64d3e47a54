import fs from 'node:fs/promises';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium } from './chromium';
import { DfApp, startDfApp } from './df-app';
import { REPO_ROOT } from './stack';

/** Where the browser specs leave their screenshots. */
export const ARTIFACTS = path.join(REPO_ROOT, 'test', 'artifacts');

/** DF on the real stack and a headless Chromium page on its console, as every browser spec starts. */
export interface ConsoleSession {
  app: DfApp;
  browser: Browser;
  page: Page;
  /** The page's script and console errors: a spec expects none. */
  pageErrors: string[];
  /** The console's origin (the API's base URL without /api/df). */
  origin: string;
  /** Answers the sign-in dialog the console opens on a 401 with this token. */
  signIn(token: string): Promise<void>;
  /** A full-page screenshot into test/artifacts/<name>.png. */
  shot(name: string): Promise<Buffer>;
  /** Closes the browser and DF; safe to call after a failed start. */
  close(): Promise<void>;
}

/**
 * Starts DF (with `env` over the test defaults) and Chromium side by side. Whichever of the two
 * started is closed again when the other fails, so a failed start leaves nothing running.
 */
export async function startConsoleSession(name: string, env: Record<string, string> = {}): Promise<ConsoleSession> {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const [started, launched] = await Promise.allSettled([startDfApp(name, env), launchChromium()]);
  if (started.status === 'rejected' || launched.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.close();
    if (launched.status === 'fulfilled') await launched.value.close();
    throw started.status === 'rejected' ? started.reason : (launched as PromiseRejectedResult).reason;
  }
  const app = started.value;
  const browser = launched.value;
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  page.setDefaultTimeout(20000);
  return {
    app,
    browser,
    page,
    pageErrors: collectPageErrors(page),
    origin: app.baseUrl.replace(/\/api\/df$/, ''),
    signIn: async (token) => {
      const dialog = page.getByTestId('signin-dialog');
      await dialog.waitFor();
      await dialog.getByLabel('API token').fill(token);
      await dialog.getByTestId('signin-submit').click();
      await dialog.waitFor({ state: 'detached' });
    },
    shot: (shot) => page.screenshot({ path: path.join(ARTIFACTS, `${shot}.png`), fullPage: true }),
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}
