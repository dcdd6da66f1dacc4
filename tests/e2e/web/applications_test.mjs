// Managing applications through the forms: create, validation, pause and resume, delete, and a
// name full of markup that must stay text.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { navigateBy } from './browser.mjs';
import { startSuite } from './fixture.mjs';
import {
  assertErrorBeside,
  assertNotice,
  createApp,
  dashboardStatus,
  pathOf,
  sendHeartbeat,
  textOf,
} from './ui.mjs';
import { sleep, waitFor } from './wait.mjs';

describe('applications', () => {
  let suite, base, page, watch;

  before(async () => {
    suite = await startSuite('applications');
    ({ base, page, watch } = suite);
  });

  after(async () => {
    await suite?.close();
  });

  it('creates an application from the form and shows its heartbeat URL', async () => {
    const app = await createApp(page, base, { name: 'nightly-backup', interval: 3, grace: 0 });
    await assertNotice(page, 'Application created.');
    assert.equal(await textOf(page, 'h1#app-name'), 'nightly-backup');
    assert.equal(await page.getAttribute('span#status', 'data-status'), 'new');
    assert.equal(await textOf(page, 'span#status'), 'new');

    // The URL a job must call: the public URL (here the listen address) and the UUID.
    const escapedBase = base.replace(/\./g, '\\.');
    assert.match(app.heartbeatUrl, new RegExp(`^${escapedBase}/heartbeat/[0-9a-f-]{36}$`));
    assert.equal(await page.getAttribute('button.copy', 'data-copy'), '#heartbeat-url');
    const examples = await page.locator('#examples pre').allTextContents();
    assert.ok(examples.length >= 3, 'curl, crontab and wget examples');
    for (const example of examples) assert.ok(example.includes(app.heartbeatUrl), example);
  });

  it('refreshes its application page by itself when a heartbeat arrives', async () => {
    const app = await createApp(page, base, { name: 'watched-job', interval: 600, grace: 0 });
    assert.equal(await page.getAttribute('span#status', 'data-status'), 'new');
    assert.equal(await textOf(page, '#last-heartbeat'), 'never');
    await page.evaluate(() => {
      window.__hbSameDocument = true; // gone if the page reloads
    });
    await sendHeartbeat(app.heartbeatUrl);
    // One refresh period (5 s) and a slow machine's margin.
    await waitFor(
      async () => (await page.getAttribute('span#status', 'data-status')) === 'up',
      15_000,
      'the application page to show up',
    );
    assert.equal(await textOf(page, 'span#status'), 'up');
    assert.notEqual(await textOf(page, '#last-heartbeat'), 'never');
    assert.ok(await page.locator('#next-deadline time').count(), 'a next deadline is shown');
    assert.equal(await page.evaluate(() => window.__hbSameDocument), true, 'not reloaded');
  });

  it('shows field errors next to their fields and keeps the values', async () => {
    await page.goto(`${base}/applications/new`);
    const form = '#application-form';
    // The server's validation is the one that counts (without JavaScript, or against a crafted
    // request), so the browser's own checks (required, min) are switched off.
    const submitWithoutBrowserChecks = async () => {
      await page.$eval(form, (f) => {
        f.noValidate = true;
      });
      return navigateBy(page, `${form} button[type=submit]`);
    };
    const errorsOf = (field) => page.locator(`${form} .field-error[data-field=${field}]`).count();

    await page.fill(`${form} input[name=name]`, '');
    await page.fill(`${form} input[name=expected_interval]`, '77');
    await page.fill(`${form} input[name=grace_period]`, '5');
    let response = await submitWithoutBrowserChecks();
    assert.equal(response.status(), 422, 'an empty name');
    await assertErrorBeside(page, `${form} .field-error[data-field=name]`, 'name');
    assert.equal(await page.inputValue(`${form} input[name=expected_interval]`), '77');
    assert.equal(await page.inputValue(`${form} input[name=grace_period]`), '5');
    assert.equal(await errorsOf('expected_interval'), 0);

    await page.fill(`${form} input[name=name]`, 'tidy-name');
    await page.fill(`${form} input[name=expected_interval]`, '0');
    response = await submitWithoutBrowserChecks();
    assert.equal(response.status(), 422, 'an interval of 0 s');
    const intervalError = `${form} .field-error[data-field=expected_interval]`;
    await assertErrorBeside(page, intervalError, 'expected_interval');
    assert.equal(await page.inputValue(`${form} input[name=name]`), 'tidy-name');
    assert.equal(await errorsOf('name'), 0);

    await page.goto(`${base}/`);
    const names = await page.locator('#applications a.app-name').allTextContents();
    assert.ok(!names.includes('tidy-name'), 'nothing was created');
  });

  it('pauses and resumes an application', async () => {
    const app = await createApp(page, base, { name: 'pausable-job', interval: 60 });

    let response = await navigateBy(page, 'form#pause button');
    assert.equal(response.status(), 200);
    await assertNotice(page, 'Application paused.');
    assert.equal(await page.getAttribute('span#status', 'data-status'), 'paused');
    assert.equal(await textOf(page, 'span#status'), 'paused');
    assert.equal(await page.locator('form#pause').count(), 0, 'no Pause while paused');
    await page.goto(`${base}/`);
    assert.deepEqual(await dashboardStatus(page, app.id), { text: 'paused', attr: 'paused' });

    await page.goto(`${base}/applications/${app.id}`);
    response = await navigateBy(page, 'form#resume button');
    assert.equal(response.status(), 200);
    await assertNotice(page, 'Application resumed.');
    assert.notEqual(await page.getAttribute('span#status', 'data-status'), 'paused');
    assert.ok(await page.isVisible('form#pause button'), 'Pause is offered again');
  });

  it('renders markup in a name as text', async () => {
    const name = '<script>alert(1)</script>';
    const dialogsBefore = watch.dialogs.length;
    const app = await createApp(page, base, { name, interval: 60 });
    const scriptsOfName = () =>
      page.evaluate(
        () =>
          [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('alert(1)'))
            .length,
      );

    assert.equal((await page.locator('h1#app-name').textContent()).trim(), name);
    assert.equal(await scriptsOfName(), 0, 'no script element made of the name');
    await page.goto(`${base}/`);
    const link = page.locator(`#applications tr[data-app-id="${app.id}"] a.app-name`);
    assert.equal((await link.textContent()).trim(), name);
    assert.equal(await scriptsOfName(), 0, 'no script element made of the name on the dashboard');
    await page.goto(`${base}/applications/${app.id}/edit`);
    assert.equal(await page.inputValue('#application-form input[name=name]'), name);
    await sleep(200); // a dialog opened by a script in the page would have been seen by now
    assert.deepEqual(watch.dialogs.slice(dialogsBefore), [], 'no dialog opened');
  });

  it('deletes an application after confirmation', async () => {
    const app = await createApp(page, base, { name: 'short-lived-job', interval: 60 });
    let response = await navigateBy(page, 'a#delete');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(page), `/applications/${app.id}/delete`);
    assert.ok((await page.locator('body').innerText()).includes('Delete short-lived-job?'));

    response = await navigateBy(page, 'form#confirm-delete button');
    assert.equal(response.status(), 200);
    assert.equal(pathOf(page), '/');
    await assertNotice(page, 'Application deleted.');
    assert.equal(await dashboardStatus(page, app.id), null, 'gone from the dashboard');
    response = await page.goto(`${base}/applications/${app.id}`);
    assert.equal(response.status(), 404);
  });
});
