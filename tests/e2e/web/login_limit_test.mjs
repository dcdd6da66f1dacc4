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
    const retryAfter = response.headers()['retry-after'] ?? '';
    assert.match(retryAfter, /^[1-9][0-9]*$/, 'Retry-After in seconds');
    // The page tells the wait the header gives (a second may pass in between).
    const text = await page.locator('body').innerText();
    const wait = text.match(/Too many failed logins.*try again in (\d+) s/is);
    assert.ok(wait, `the page explains the refusal: ${text}`);
    assert.ok(
      Math.abs(Number(wait[1]) - Number(retryAfter)) <= 1,
      `${wait[0]} (Retry-After ${retryAfter})`,
    );

    await page.goto(`${base}/`);
    assert.equal(pathOf(page), '/login', 'and no session came of it');
  });
});
