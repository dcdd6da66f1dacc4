// Alerts from the application page: add a webhook, send a test to a real receiver, and refuse a
// target the channel cannot use.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { navigateBy } from './browser.mjs';
import { startSuite } from './fixture.mjs';
import { startReceiver } from './receiver.mjs';
import { assertNotice, createApp, textOf } from './ui.mjs';
import { waitFor } from './wait.mjs';

describe('alerts', () => {
  let suite, base, page, receiver;

  before(async () => {
    receiver = await startReceiver();
    suite = await startSuite('alerts');
    ({ base, page } = suite);
  });

  after(async () => {
    await suite?.close();
    await receiver?.close();
  });

  it('sends a test notification to a webhook alert', async () => {
    const app = await createApp(page, base, { name: 'alerted-job', interval: 60 });
    await page.selectOption('#add-alert select[name=channel]', 'webhook');
    await page.fill('#add-alert input[name=target]', receiver.url);
    assert.ok(await page.isChecked('#add-alert input[name=enabled]'), 'a new alert is on');
    let response = await navigateBy(page, '#add-alert button');
    assert.equal(response.status(), 200);
    await assertNotice(page, 'Alert added.');

    const alertId = await page.evaluate(
      (url) =>
        [...document.querySelectorAll('#alert-configs tbody tr')].find(
          (tr) => tr.querySelector('.target')?.textContent.trim() === url,
        )?.dataset.alertId,
      receiver.url,
    );
    assert.ok(alertId, 'the alert is listed with its target');
    const row = `#alert-configs tr[data-alert-id="${alertId}"]`;
    assert.equal(await textOf(page, `${row} .channel`), 'webhook');
    assert.equal(await textOf(page, `${row} .enabled`), 'on');

    response = await navigateBy(page, `${row} form.test-alert button`);
    assert.equal(response.status(), 200);
    await assertNotice(page, 'Test notification delivered.');
    const test = await waitFor(
      () => receiver.requests.find((r) => r.json?.event === 'test'),
      5000,
      'the receiver to get the test notification',
    );
    assert.equal(test.method, 'POST');
    assert.equal(test.json.application.name, app.name);
    assert.equal(test.json.application.uuid, app.heartbeatUrl.split('/').pop());
    const outcomes = await page.locator('#notifications tbody tr .outcome').allTextContents();
    assert.ok(
      outcomes.some((o) => o.trim() === 'delivered'),
      `the log shows it delivered: ${outcomes}`,
    );
  });

  it('refuses an alert target the channel cannot use, beside the field', async () => {
    const app = await createApp(page, base, { name: 'misconfigured-job', interval: 60 });
    await page.selectOption('#add-alert select[name=channel]', 'webhook');
    await page.fill('#add-alert input[name=target]', 'not a url');
    await page.$eval('#add-alert', (f) => {
      f.noValidate = true; // the server's check is the one under test
    });
    const response = await navigateBy(page, '#add-alert button');
    assert.equal(response.status(), 422);
    assert.ok(await page.isVisible('.field-error[data-field=target]'), 'the error is shown');
    assert.equal(await page.locator('#alert-configs tbody tr').count(), 0, 'nothing was added');

    await page.goto(`${base}/applications/${app.id}`);
    assert.equal(await page.locator('#alert-configs tbody tr').count(), 0, 'nothing was stored');
  });
});
