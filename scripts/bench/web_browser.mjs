// How soon the dashboard is usable in a real browser (Debian's chromium, playwright-core).
// Usage: node scripts/bench/web_browser.mjs BASE_URL ADMIN_PASSWORD RUNS
// "Usable" is the time from the start of the navigation until the first row of the table is
// shown and app.js has run (DOMContentLoaded handlers done), whichever is later.
import { launchBrowser } from '../../tests/e2e/web/browser.mjs';

const [base, password, runsText] = process.argv.slice(2);
const runs = Number(runsText || 10);

const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('form#login button[type=submit]')]);

  const usable = [];
  const loaded = [];
  for (let i = 0; i < runs; i++) {
    await page.goto('about:blank');
    await page.goto(`${base}/`, { waitUntil: 'load' });
    await page.waitForSelector('table#applications tbody tr', { state: 'visible' });
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        dcl: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        paint: paint ? paint.startTime : nav.domContentLoadedEventEnd,
        rows: document.querySelectorAll('table#applications tbody tr').length,
      };
    });
    usable.push(Math.max(timing.dcl, timing.paint));
    loaded.push(timing.load);
    if (timing.rows === 0) throw new Error('no rows on the dashboard');
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const max = (xs) => Math.max(...xs);
  console.log(
    `browser: usable (first paint and script ready) median ${median(usable).toFixed(0)} ms, ` +
      `max ${max(usable).toFixed(0)} ms; load event median ${median(loaded).toFixed(0)} ms, ` +
      `max ${max(loaded).toFixed(0)} ms (${runs} navigations)`,
  );
} finally {
  await browser.close();
}
