// Signing in and out, and what protects a session: the generic error, a new session id after
// login, security headers, CSRF tokens, a logout that ends the session.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { navigateBy } from './browser.mjs';
import { startSuite } from './fixture.mjs';
import { PASSWORD, createApp, openDashboard, pathOf, submitLogin } from './ui.mjs';

describe('sessions', () => {
  let suite, base, page, context;

  before(async () => {
    suite = await startSuite('session', { logIn: false });
    ({ base, page, context } = suite);
  });

  after(async () => {
    await suite?.close();
  });

  it('refuses a wrong password with the generic error', async () => {
    await page.goto(`${base}/`);
    assert.equal(pathOf(page), '/login', 'a visitor without a session is sent to the login page');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/');

    const response = await submitLogin(page, 'not the password');
    assert.equal(response.status(), 401);
    const error = page.locator('.form-error');
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.equal((await error.textContent()).trim(), 'Wrong password.');
    assert.ok(await page.isVisible('form#login input[name=password]'), 'the form is offered again');
  });

  it('logs in with the admin password into a new session', async () => {
    await context.clearCookies();
    await page.goto(`${base}/login`);
    const preLogin = await context.cookies(base);
    assert.ok(preLogin.length > 0, 'the login page starts a pre-login session (its csrf token)');

    const response = await submitLogin(page, PASSWORD);
    assert.equal(response.status(), 200);
    assert.equal(pathOf(page), '/');
    for (const selector of ['a#nav-dashboard', 'a#nav-new', 'form#logout']) {
      assert.ok(await page.isVisible(selector), `${selector} in the navigation`);
    }
    const session = (await context.cookies(base)).find((c) => c.name === 'hb_session');
    assert.ok(session, 'an hb_session cookie after login');
    const reused = preLogin.filter((c) => c.value === session.value).map((c) => c.name);
    assert.deepEqual(reused, [], 'a new session id after login (no fixation)');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/');
  });

  it('sends the security headers with every page, and no data without a session', async () => {
    await openDashboard(page, base);
    const dashboard = await page.goto(`${base}/`);
    const login = await fetch(`${base}/login`);
    const pages = [
      ['/', dashboard.headers()],
      ['/login', Object.fromEntries(login.headers)],
    ];
    for (const [name, headers] of pages) {
      const csp = headers['content-security-policy'];
      assert.ok(csp, `${name}: Content-Security-Policy`);
      const directives = new Map(
        csp.split(';').map((d) => {
          const [key, ...values] = d.trim().split(/\s+/);
          return [key.toLowerCase(), values];
        }),
      );
      // script-src, or default-src where script-src is absent, is what governs scripts.
      const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
      assert.ok(scriptSrc, `${name}: the CSP restricts scripts: ${csp}`);
      assert.ok(!scriptSrc.includes("'unsafe-inline'"), `${name}: no inline scripts: ${csp}`);
      assert.equal(headers['x-frame-options']?.toUpperCase(), 'DENY', `${name}: X-Frame-Options`);
      assert.equal(headers['x-content-type-options'], 'nosniff', `${name}: X-Content-Type-Options`);
      assert.equal(headers['referrer-policy'], 'same-origin', `${name}: Referrer-Policy`);
    }
    const json = await fetch(`${base}/dashboard.json`);
    assert.equal(json.status, 401, '/dashboard.json without a session cookie');
    assert.match(json.headers.get('content-type') ?? '', /json/);
  });

  it("refuses a form post without the session's csrf token", async () => {
    const app = await createApp(page, base, { name: 'csrf-target', interval: 60 });
    const pauseUrl = `${base}/applications/${app.id}/pause`;
    // page.request carries the browser's cookies: the session is valid, only the token is not.
    for (const form of [{}, { csrf: 'forged-token' }]) {
      const response = await page.request.post(pauseUrl, { form, maxRedirects: 0 });
      assert.equal(response.status(), 403, `pause with ${JSON.stringify(form)}`);
      assert.match(await response.text(), /CSRF/);
    }
    await page.reload();
    assert.equal(await page.getAttribute('span#status', 'data-status'), 'new', 'still not paused');

    // The control: the same request with the page's token is accepted, so the 403s above were
    // about the token, not about the session or the request.
    const csrf = await page.inputValue('form#pause input[name=csrf]');
    const response = await page.request.post(pauseUrl, { form: { csrf }, maxRedirects: 0 });
    assert.equal(response.status(), 303);
    assert.doesNotMatch(response.headers().location ?? '', /\/login/);
    await page.reload();
    assert.equal(await page.getAttribute('span#status', 'data-status'), 'paused');
  });

  it('logs out, and the old session cookie no longer works', async () => {
    await openDashboard(page, base);
    const cookies = await context.cookies(base);
    const response = await navigateBy(page, 'form#logout button');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(page), '/login');

    await page.goto(`${base}/`);
    assert.equal(pathOf(page), '/login', 'the dashboard needs a new login');
    await context.addCookies(cookies);
    await page.goto(`${base}/`);
    assert.equal(pathOf(page), '/login', 'the cookie of the ended session is refused');

    // Logging in again returns to the page that asked for it.
    await page.goto(`${base}/applications/new`);
    assert.equal(new URL(page.url()).searchParams.get('next'), '/applications/new');
    await submitLogin(page, PASSWORD);
    assert.equal(pathOf(page), '/applications/new');
  });
});
