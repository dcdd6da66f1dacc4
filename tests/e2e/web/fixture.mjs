// What every browser test file starts from: its own heartbeatd, a browser, one page in a fresh
// cookie jar, usually logged in. One server per file keeps the files independent of each other
// (and of the order node --test runs them in).

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { launchBrowser, recordCspViolations, watchPage } from './browser.mjs';
import { startHeartbeatd } from './server.mjs';
import { BINARY, PASSWORD, SCREENSHOTS, openDashboard } from './ui.mjs';

const ACTION_TIMEOUT_MS = 10_000;

/**
 * Starts the server and the browser. Resolves to { server, base, browser, context, page, watch,
 * close() }; close() stops both, keeps the server's output as SCREENSHOTS/<name>.heartbeatd.log
 * and asserts that heartbeatd stopped cleanly on SIGTERM.
 */
export async function startSuite(name, { logIn = true } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startHeartbeatd({ binary: BINARY, adminPassword: PASSWORD });
  let browser;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    await recordCspViolations(context);
    const page = await context.newPage();
    const watch = watchPage(page);
    if (logIn) await openDashboard(page, server.base);

    async function close() {
      await browser.close();
      const { code, signal, stdout, stderr } = await server.stop();
      writeFileSync(path.join(SCREENSHOTS, `${name}.heartbeatd.log`), `${stdout}${stderr}`);
      assert.equal(code, 0, `heartbeatd after SIGTERM: exit status ${code}, signal ${signal}`);
    }
    return { server, base: server.base, browser, context, page, watch, close };
  } catch (error) {
    await browser?.close();
    await server.stop();
    throw error;
  }
}
