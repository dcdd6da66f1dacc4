// Password guessing in a real browser: after 5 failed logins from one address, the 6th attempt is
// refused with 429 even with the right password.
//
// A server of its own (as every test file has): the limit holds loopback for 15 minutes, which
// would lock out any other test sharing the server.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startSuite } from './fixture.mjs';
import { PASSWORD, pathOf, submitLogin, textOf } from './ui.mjs';

const ALLOWED_FAILURES = 5;

describe('login rate limit', () => {
  let suite, base, page;

  before(async () => {
    suite = await startSuite('login_limit', { logIn: false });
    ({ base, page } = suite);
  });

  after(async () => {
    await suite?.close();
  });

  it('answers the sixth login after five failures 429, right password or not', async () => {
    await page.goto(`${base}/login`);
    // As a guesser would: again and again from the form the failure page offers.
    for (let attempt = 1; attempt <= ALLOWED_FAILURES; attempt++) {
      const response = await submitLogin(page, `wrong guess ${attempt}`);
      assert.equal(response.status(), 401, `failed login ${attempt}`);
      assert.equal(await textOf(page, '.form-error'), 'Wrong password.');
    }

    const response = await submitLogin(page, PASSWORD);
    assert.equal(response.status(), 429, 'the sixth attempt, with the right password');
    assert.match(response.headers()['retry-after'] ?? '', /^[1-9][0-9]*$/, 'Retry-After: seconds');
    const text = await page.locator('body').innerText();
    assert.match(text, /Too many failed logins, try again in \d+ s/);

    await page.goto(`${base}/`);
    assert.equal(pathOf(page), '/login', 'and no session came of it');
  });
});
