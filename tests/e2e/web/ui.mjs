// heartbeatd's pages as a user works them (selectors from the web UI contract), shared by the
// browser test files.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { navigateBy } from './browser.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// Where the tests find heartbeatd, and where they put screenshots and each server's log. CTest
// sets both (tests/CMakeLists.txt); by hand, from the checkout (node 22 and later want the file
// names, 18 and 20 also take the directory):
//   HEARTBEATD_BINARY=build/heartbeatd HEARTBEATD_SCREENSHOTS=build/screenshots \
//     node --test tests/e2e/web/*_test.mjs
export const BINARY = path.resolve(
  process.env.HEARTBEATD_BINARY ?? path.join(REPO, 'build/heartbeatd'),
);
export const SCREENSHOTS = path.resolve(
  process.env.HEARTBEATD_SCREENSHOTS ?? path.join(REPO, 'build/screenshots'),
);

export const PASSWORD = 'correct horse battery staple';

/** The trimmed text of the first match of `selector` now, or null: no waiting, for waitFor(). */
export function textOf(page, selector) {
  return page.evaluate((s) => document.querySelector(s)?.textContent.trim() ?? null, selector);
}

export function pathOf(page) {
  return new URL(page.url()).pathname;
}

/**
 * Asserts that the page shows the notice `message` (#notice, role=status) after an action. The
 * notice may go on with a hint ("Application created. Point your job at..."): what must not
 * change is the message itself, its first words up to the full stop.
 */
export async function assertNotice(page, message) {
  const notice = page.locator('#notice');
  assert.equal(await notice.getAttribute('role'), 'status', '#notice is announced');
  const text = (await notice.textContent()).trim();
  assert.ok(text.startsWith(message.replace(/\.$/, '')), `#notice "${text}" says "${message}"`);
}

/** Submits the login form of the page it is on; resolves to the response of the next page. */
export async function submitLogin(page, password) {
  await page.fill('form#login input[name=password]', password);
  return navigateBy(page, 'form#login button[type=submit]');
}

/** Opens the dashboard, logging in first if the session is gone (a failed earlier test, logout). */
export async function openDashboard(page, base) {
  await page.goto(`${base}/`);
  if (pathOf(page) === '/login') {
    const response = await submitLogin(page, PASSWORD);
    assert.equal(response.status(), 200, 'logging in with the right password');
  }
  assert.equal(pathOf(page), '/');
}

/**
 * Creates an application through form#application-form and resolves to
 * { id, name, heartbeatUrl } as its page shows them.
 */
export async function createApp(page, base, { name, interval, grace = 0 }) {
  await page.goto(`${base}/applications/new`);
  if (pathOf(page) === '/login') {
    await openDashboard(page, base);
    await page.goto(`${base}/applications/new`);
  }
  await page.fill('#application-form input[name=name]', name);
  await page.fill('#application-form input[name=expected_interval]', String(interval));
  await page.fill('#application-form input[name=grace_period]', String(grace));
  const response = await navigateBy(page, '#application-form button[type=submit]');
  assert.equal(response.status(), 200, `creating ${name}`);
  const id = pathOf(page).match(/^\/applications\/(\d+)$/)?.[1];
  assert.ok(id, `after creating ${name} the browser is on ${page.url()}`);
  return { id, name, heartbeatUrl: await textOf(page, '#heartbeat-url') };
}

/** One heartbeat the way a cron job sends it: plain HTTP from outside the browser. */
export async function sendHeartbeat(url) {
  const response = await fetch(url, { method: 'POST' });
  assert.equal(response.status, 200, `heartbeat to ${url}: ${await response.text()}`);
}

/** The status word of application `id` in the dashboard table, and its data-status. */
export function dashboardStatus(page, id) {
  return page.evaluate((appId) => {
    const status = document.querySelector(`#applications tr[data-app-id="${appId}"] span.status`);
    return status && { text: status.textContent.trim(), attr: status.dataset.status };
  }, id);
}

/**
 * Asserts that the validation message `errorSelector` sits next to its form field `field` as a
 * reader meets it: visible, saying something, right before or after that field in reading order
 * (no other field in between), and close to it on screen.
 */
export async function assertErrorBeside(page, errorSelector, field) {
  const error = page.locator(errorSelector);
  assert.ok(await error.isVisible(), `${errorSelector} is visible`);
  assert.ok((await error.textContent()).trim().length > 0, `${errorSelector} has a message`);
  const beside = await error.evaluate((el, name) => {
    const fields = [...el.closest('form').querySelectorAll('input, select, textarea')].filter(
      (f) => f.type !== 'hidden',
    );
    const precedes = (f) => f.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
    const neighbours = [fields.filter(precedes).pop(), fields.find((f) => !precedes(f))];
    const own = neighbours.find((f) => f?.name === name);
    if (!own) return { neighbours: neighbours.map((f) => f?.name) };
    const a = own.getBoundingClientRect();
    const b = el.getBoundingClientRect();
    const dx = Math.max(0, a.left - b.right, b.left - a.right);
    const dy = Math.max(0, a.top - b.bottom, b.top - a.bottom);
    return { name: own.name, gap: Math.hypot(dx, dy) };
  }, field);
  assert.equal(beside.name, field, `${errorSelector} sits between ${beside.neighbours}`);
  assert.ok(beside.gap < 80, `${errorSelector} is ${Math.round(beside.gap)} px from its field`);
}
