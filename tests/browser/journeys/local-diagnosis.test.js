// What the team learns from its work (issue 18 items 1–2): the demo municipality (`ostoja demo`, three years of
// fictitious procedures) on a fresh server; the chair opens the local diagnosis (screenshots
// docs/screenshots/local-diagnosis.png at 1280 px and local-diagnosis-phone.png at 390 px), a year typed wrong is
// refused beside its field with the typed value kept, a span without data shows the empty state, the version for
// sharing says so, the PDF and the ODT draft download; on the outcomes of support a figure opens the cases behind it.
// The aggregate viewer sees only the version for sharing and no cases; a group member does not reach the pages.
// Every page is checked with axe-core and for reflow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { App } from '../lib/app.js';
import { launch, Person, PHONE } from '../lib/browser.js';
import { screenshot } from '../lib/shots.js';
import { errorsTied } from '../lib/a11y.js';

let app;
let browser;
const people = [];
const year = new Date().getFullYear();
const span = `from=${year - 2}&to=${year}`;

/** A demo account logged in through the login page (the demo's accounts need no second factor). */
async function demo(login, options = {}) {
  const p = await Person.open(browser, app, { name: login, ...options });
  people.push(p);
  await p.goto('/login');
  await p.page.locator('#login').fill(login);
  await p.page.locator('#password').fill('pokaz-ostoja-2026');
  await p.submit('form[action="/login"] button[type=submit]');
  assert.doesNotMatch(new URL(p.page.url()).pathname, /^\/login/, `${login} logged in`);
  return p;
}

before(async () => {
  app = await App.start();
  await app.cli('demo');
  browser = await launch();
});
after(async () => {
  const problems = [];
  for (const p of people) await p.done().catch((e) => problems.push(e));
  await browser?.close();
  await app?.stop();
  if (problems.length) throw problems[0];
});

test('the chair reads the local diagnosis, on a wide screen and a phone, shared or not, and downloads it', async () => {
  const chair = await demo('demo.chair');
  await chair.goto('/programme');
  await chair.submit(chair.page.getByRole('link', { name: 'Diagnoza lokalna i efekty wsparcia' }));
  assert.equal(new URL(chair.page.url()).pathname, '/programme/diagnosis');
  await chair.goto(`/programme/diagnosis?${span}`);
  for (const id of ['opened', 'violence', 'affected_sex_age', 'closings', 'duration', 'recurrence', 'areas']) {
    assert.equal(await chair.page.locator(`#${id} svg[role=img]`).count(), 1, `the chart of ${id}`);
    assert.ok(await chair.page.getByTestId(`table-${id}`).count(), `the table of ${id}`);
  }
  const opened = await chair.page.getByTestId('table-opened').locator('tbody tr').first().innerText();
  assert.match(opened, /wszczęte procedury/);
  // The tables, not the page: the sharing checkbox's own label names "<5".
  const cells = (await chair.page.locator('.learning-table table').allInnerTexts()).join('\n');
  assert.doesNotMatch(cells, /<5/, 'the team sees exact figures');
  assert.match(await chair.page.locator('#areas').innerText(), /Demonstracyjne Miasto/);
  await screenshot(chair.page, 'local-diagnosis', { fullPage: false });

  const phone = await demo('demo.chair', { viewport: PHONE });
  await phone.goto(`/programme/diagnosis?${span}`);
  await phone.page.locator('#closings').scrollIntoViewIfNeeded();
  await screenshot(phone.page, 'local-diagnosis-phone');

  // A year typed wrong: refused beside the field, what was typed kept.
  const refused = await chair.goto(`/programme/diagnosis?from=20x5&to=${year}`);
  assert.equal(refused.status(), 422);
  await errorsTied(chair.page);
  assert.match(await chair.page.locator('#from-error').textContent(), /czterema cyframi/);
  assert.equal(await chair.page.locator('#from').inputValue(), '20x5');
  const backwards = await chair.goto(`/programme/diagnosis?from=${year}&to=${year - 3}`);
  assert.equal(backwards.status(), 422);
  assert.match(await chair.page.locator('#to-error').textContent(), /nie może być wcześniejszy/);

  // Years without data: an empty state, not zeros.
  await chair.goto('/programme/diagnosis?from=2001&to=2003');
  assert.match(await chair.page.getByTestId('learning-empty').innerText(), /Brak danych za lata 2001–2003/);
  assert.equal(await chair.page.locator('table').count(), 0);

  // The version for sharing.
  await chair.goto(`/programme/diagnosis?${span}`);
  await chair.page.locator('input[name=sharing]').check();
  await chair.submit('form.span-form button[type=submit]');
  assert.match(await chair.page.getByTestId('learning-sharing').innerText(), /„<5”/);
  assert.match(chair.page.url(), /sharing=1/);

  // The PDF and the ODT draft.
  for (const [link, type] of [['Pobierz diagnozę (PDF)', 'application/pdf'],
    ['Pobierz projekt dokumentu diagnozy do uzupełnienia (ODT)', 'application/vnd.oasis.opendocument.text']]) {
    const href = await chair.page.getByRole('link', { name: link }).getAttribute('href');
    const r = await chair.context.request.get(app.url(href));
    assert.equal(r.status(), 200, link);
    assert.equal(r.headers()['content-type'], type);
    assert.ok((await r.body()).length > 1000);
  }
});

test('the outcomes of support open the cases behind a figure for the team only', async () => {
  const chair = await demo('demo.chair');
  await chair.goto(`/programme/outcomes?${span}`);
  for (const id of ['plans', 'plans_by_institution', 'recurrence_9_months', 'referrals']) {
    assert.equal(await chair.page.locator(`#${id} svg[role=img]`).count(), 1, `the chart of ${id}`);
  }
  const link = chair.page.getByTestId('table-plans').locator('a[href^="/programme/outcomes/"]').first();
  const href = await link.getAttribute('href');
  await chair.submit(link);
  assert.equal(new URL(chair.page.url()).pathname, href);
  assert.ok(await chair.page.locator('a.case-number').count() > 0, 'the cases behind the figure');

  const viewer = await demo('demo.aggregate-viewer');
  await viewer.goto(`/programme/diagnosis?${span}`);
  assert.match(await viewer.page.getByTestId('learning-sharing').innerText(), /„<5”/);
  assert.equal(await viewer.page.locator('input[name=sharing]').count(), 0, 'no choice: only the shared version');
  assert.equal(await viewer.page.getByRole('link', { name: /ODT/ }).count(), 0);
  await viewer.goto(`/programme/outcomes?${span}`);
  assert.equal(await viewer.page.locator('table a').count(), 0, 'figures only, no cases');
  await viewer.refused(href);

  const member = await demo('demo.group-member');
  await member.refused(`/programme/diagnosis?${span}`);
  await member.refused(`/programme/outcomes?${span}`);
});
