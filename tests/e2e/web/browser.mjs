// Debian's chromium, driven by playwright-core, and what the tests watch a page for.

import assert from 'node:assert/strict';

const CHROMIUM = '/usr/bin/chromium'; // Debian's package, not a browser playwright downloads
const CHROMIUM_ARGS = [
  '--headless',
  // Containers and root: Chromium's sandbox needs user namespaces that CI machines often lack.
  '--no-sandbox',
  '--disable-gpu',
  // No outside network on the test machines: nothing may try to phone home and stall.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launches headless Chromium. playwright-core gives every launch a fresh temporary
 * --user-data-dir of its own (and deletes it on close); it refuses the flag in `args`, and
 * launchPersistentContext would allow only one context, while the tests need separate cookie jars.
 */
export async function launchBrowser() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    throw new Error(
      `playwright-core is missing (${error.message}): run scripts/build.sh --test, ` +
        'or npm ci in tests/e2e/web',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Records what a user or a developer console would notice on `page`: console errors (CSP
 * violations are reported there too), uncaught exceptions, CSP violation events, and dialogs.
 * Confirmation dialogs are accepted (app.js confirms deletions); any other dialog is dismissed.
 */
export function watchPage(page) {
  const seen = { consoleErrors: [], pageErrors: [], dialogs: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => seen.pageErrors.push(`${page.url()}: ${error.message}`));
  page.on('dialog', async (dialog) => {
    seen.dialogs.push({ type: dialog.type(), message: dialog.message(), url: page.url() });
    await (dialog.type() === 'confirm' ? dialog.accept() : dialog.dismiss());
  });
  seen.reset = () => {
    seen.consoleErrors.length = 0;
    seen.pageErrors.length = 0;
  };
  return seen;
}

/**
 * Asserts that `page` logged no console error, threw no uncaught exception and violated no
 * Content-Security-Policy directive since `watch.reset()` (or since its document loaded).
 */
export async function assertQuietPage(page, watch, where) {
  const csp = await page.evaluate(() => window.__hbCspViolations ?? []);
  assert.deepEqual(
    { console: watch.consoleErrors, exceptions: watch.pageErrors, csp },
    { console: [], exceptions: [], csp: [] },
    `errors on ${where}`,
  );
}

/**
 * Before any page script runs, collects `securitypolicyviolation` events in
 * window.__hbCspViolations: explicit evidence beside the console text.
 */
export async function recordCspViolations(context) {
  await context.addInitScript(() => {
    window.__hbCspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__hbCspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
}

/**
 * Clicks `selector` (a submit button, a link) and resolves to the response of the page it leads
 * to, after redirects, so the test can check its status and headers. waitForURL, the suggested
 * replacement of waitForNavigation, does not give the response.
 */
export async function navigateBy(page, selector) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response;
}
