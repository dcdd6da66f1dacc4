// The dashboard as it is watched: a heartbeat turns an application up and a missed deadline turns
// it down without a reload; applications in every state; no console errors; screenshots.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { assertQuietPage, navigateBy } from './browser.mjs';
import { startSuite } from './fixture.mjs';
import {
  SCREENSHOTS,
  createApp,
  dashboardStatus,
  openDashboard,
  pathOf,
  sendHeartbeat,
} from './ui.mjs';
import { sleep, waitFor } from './wait.mjs';

// The dashboard polls every data-refresh-ms (5 s by default): a change shows within one period,
// plus the monitor's second (HEARTBEAT_CHECK_INTERVAL=1) and a slow machine's margin.
const LIVE_UPDATE_MS = 15_000;
const DOWN_AFTER_DEADLINE_MS = 20_000;
const STATUSES = ['new', 'up', 'late', 'down', 'paused'];

describe('dashboard', () => {
  let suite, base, page, watch;

  before(async () => {
    suite = await startSuite('dashboard');
    ({ base, page, watch } = suite);
  });

  after(async () => {
    await suite?.close();
  });

  const statusIs = async (app, status) => (await dashboardStatus(page, app.id))?.attr === status;

  it('shows a heartbeat as up, then the missed deadline as down, without a reload', async () => {
    const app = await createApp(page, base, { name: 'payments-worker', interval: 3, grace: 0 });
    await openDashboard(page, base);
    assert.deepEqual(await dashboardStatus(page, app.id), { text: 'new', attr: 'new' });
    // Lives only as long as this document: a reload or a meta refresh would drop it.
    await page.evaluate(() => {
      window.__hbSameDocument = true;
    });
    watch.reset();

    // Up lasts 3 s after a beat, less than one refresh period: a beat a second (a busy job) keeps
    // the application up until the page has shown it.
    await sendHeartbeat(app.heartbeatUrl);
    const beat = () => fetch(app.heartbeatUrl, { method: 'POST' }).catch(() => {});
    const pump = setInterval(beat, 1000);
    try {
      await waitFor(() => statusIs(app, 'up'), LIVE_UPDATE_MS, 'the dashboard to show up');
    } finally {
      clearInterval(pump);
    }
    assert.deepEqual(await dashboardStatus(page, app.id), { text: 'up', attr: 'up' });

    await waitFor(
      () => statusIs(app, 'down'),
      DOWN_AFTER_DEADLINE_MS,
      'the dashboard to show down',
    );
    assert.deepEqual(await dashboardStatus(page, app.id), { text: 'down', attr: 'down' });
    const sameDocument = await page.evaluate(() => window.__hbSameDocument);
    assert.equal(sameDocument, true, 'the page was not reloaded');

    // The counts follow the rows (every application fits on the first page here).
    const countsMatchRows = () =>
      page.evaluate((statuses) => {
        const count = (s) =>
          Number(document.querySelector(`#counts [data-count="${s}"] .count-value`)?.textContent);
        const rows = (s) =>
          document.querySelectorAll(`#applications tbody span.status[data-status="${s}"]`).length;
        const all = document.querySelectorAll('#applications tbody tr[data-app-id]').length;
        return statuses.every((s) => count(s) === rows(s)) && count('total') === all;
      }, STATUSES);
    await waitFor(countsMatchRows, LIVE_UPDATE_MS, '#counts to match the rows');
    await assertQuietPage(page, watch, 'the live dashboard');
  });

  it('takes /applications, where a user may look for the list, to the dashboard', async () => {
    const app = await createApp(page, base, { name: 'listed-at-root', interval: 600, grace: 0 });
    await page.goto(`${base}/applications`);
    assert.equal(pathOf(page), '/');
    assert.deepEqual(await dashboardStatus(page, app.id), { text: 'new', attr: 'new' });
  });

  it('logs no console error or CSP violation on the dashboard or an application', async () => {
    const app = await createApp(page, base, { name: 'quiet-job', interval: 60 });
    await sendHeartbeat(app.heartbeatUrl);
    watch.reset();
    // The dashboard's script runs: its first refresh arrives and is handled.
    const refresh = page.waitForResponse((r) => new URL(r.url()).pathname === '/dashboard.json', {
      timeout: LIVE_UPDATE_MS,
    });
    await page.goto(`${base}/`);
    const json = await refresh;
    assert.equal(json.status(), 200);
    assert.equal(typeof (await json.json()).counts.total, 'number');
    await sleep(500);
    await assertQuietPage(page, watch, 'the dashboard');

    watch.reset();
    await page.goto(`${base}/applications/${app.id}`);
    await page.waitForLoadState('networkidle');
    await assertQuietPage(page, watch, `the page of application ${app.id}`);
  });

  it('shows every state at once (screenshots: dashboard, application page)', async () => {
    const up = await createApp(page, base, { name: 'billing-sync', interval: 3600 });
    await sendHeartbeat(up.heartbeatUrl);
    const fresh = await createApp(page, base, { name: 'weekly-report', interval: 604800 });
    const late = await createApp(page, base, { name: 'queue-worker', interval: 2, grace: 3600 });
    await sendHeartbeat(late.heartbeatUrl);
    const down = await createApp(page, base, { name: 'cache-warmer', interval: 1, grace: 0 });
    await sendHeartbeat(down.heartbeatUrl);
    const paused = await createApp(page, base, { name: 'log-rotator', interval: 60 });
    await navigateBy(page, 'form#pause button');

    await page.goto(`${base}/`);
    const expected = [
      [up, 'up'],
      [fresh, 'new'],
      [late, 'late'],
      [down, 'down'],
      [paused, 'paused'],
    ];
    const allShown = async () => {
      for (const [app, status] of expected) if (!(await statusIs(app, status))) return false;
      return true;
    };
    await waitFor(allShown, LIVE_UPDATE_MS, 'the dashboard to show up, new, late, down, paused');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

    await page.goto(`${base}/applications/${up.id}`);
    const history = page.locator('#history tbody tr');
    assert.equal(await history.count(), 1, 'the one heartbeat in the history');
    assert.equal((await history.locator('.remote-addr').textContent()).trim(), '127.0.0.1');
    const timeline = page.locator('svg#timeline, #timeline svg').first();
    assert.ok(await timeline.isVisible(), 'the 24 h timeline');
    assert.equal(await timeline.locator('line.beat').count(), 1, 'the heartbeat on the timeline');
    assert.ok((await timeline.locator('rect.up').count()) > 0, 'the time up on the timeline');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'application.png'), fullPage: true });
  });
});
