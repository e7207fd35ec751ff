// Issue 16 items 8 and 10. The public help page of a municipality whose directory is still empty: the national
// helplines from the start, filtered by kind of help and by language, in Ukrainian (its
// screenshot is daily-demo.test.js's) and on a phone, the quick exit still the first Tab stop, the accessibility
// statement one link away. The chair's calendar: team meetings in the month and the week, at 1280 and 390 px
// (screenshot: daily-demo.test.js), and the personal .ics feed issued, read without a login and revoked.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { world } from '../lib/world.js';
import { PHONE } from '../lib/browser.js';

let w;
let chair;

before(async () => {
  w = await world();
  chair = await w.person('przewodniczaca', ['chair'], { fullName: 'Maria Wiśniewska' });
});

after(async () => {
  await w?.close();
});

test('the public help page with an empty directory: national helplines, filters, Ukrainian, a phone', async () => {
  const visitor = await w.open({ name: 'visitor' });
  let r = await visitor.goto(`/pomoc/${w.teryt}`);
  assert.equal(r.status(), 200);
  const text = await visitor.text();
  for (const number of ['800 120 002', '116 123', '116 111', '112']) assert.match(text, new RegExp(number));
  assert.equal(await visitor.page.getByTestId('help-entry').count(), 4);
  // Filter by kind of help: the police and emergencies.
  await visitor.page.locator('#kind').selectOption('police');
  await visitor.submit('form.help-filters button[type=submit]');
  assert.equal(await visitor.page.getByTestId('help-entry').count(), 1);
  assert.match(await visitor.text(), /Numer alarmowy 112/);
  // The language filter names languages.
  const options = await visitor.page.locator('#language option').allTextContents();
  assert.ok(options.includes('angielski') && options.includes('polski'), options.join('|'));

  // Ukrainian, from the switch; the filter keeps the language.
  await visitor.submit(visitor.page.locator('.public-langs a[lang=uk]'));
  assert.equal(await visitor.page.locator('html').getAttribute('lang'), 'uk');
  assert.match(await visitor.text(), /Номер екстреної допомоги 112/);
  await visitor.page.locator('#kind').selectOption('');
  await visitor.submit('form.help-filters button[type=submit]');
  assert.match(await visitor.text(), /Загальнопольські телефони/);
  assert.equal(await visitor.page.getByTestId('help-entry').count(), 4);
  assert.equal((await visitor.context.cookies()).length, 0, 'no cookie');
  await visitor.page.keyboard.press('Tab');
  assert.equal(await visitor.page.evaluate(() => document.activeElement?.id), 'quick-exit', 'the first Tab stop');

  // The accessibility statement, one link away, in the same language.
  r = await visitor.submit(visitor.page.getByTestId('statement-link'));
  assert.equal(r.status(), 200);
  assert.match(await visitor.text(), /Декларація доступності/);
  assert.match(await visitor.text(), /Rzecznik Praw Obywatelskich/);

  // On a phone: the same page, checked for reflow by the audit.
  const phone = await w.open({ name: 'phone visitor', viewport: PHONE });
  await phone.goto(`/pomoc/${w.teryt}?lang=uk&kind=helpline`);
  assert.equal(await phone.page.getByTestId('help-entry').count(), 3);
  await phone.goto(`/pomoc/${w.teryt}/deklaracja-dostepnosci`);
});

test('the chair sets the accessibility statement; every page links it', async () => {
  await chair.goto('/accessibility-statement');
  await chair.page.locator('#prepared_on').fill('');
  let r = await chair.submit('main form[action="/accessibility-statement"] button[type=submit]');
  assert.equal(r.status(), 422);
  await chair.page.locator('#prepared_on').fill('2026-11-30');
  await chair.page.locator('#contact_name').fill('Ewa Dostępna');
  await chair.page.locator('#contact_email').fill('dostepnosc@gmina.example.pl');
  await chair.page.locator('#inaccessible').fill('Część plików PDF z lat 2015–2019 nie ma warstwy tekstowej.');
  r = await chair.submit('main form[action="/accessibility-statement"] button[type=submit]');
  assert.equal(r.status(), 200);
  assert.match(await chair.page.locator('.notice').textContent(), /Zapisano deklarację dostępności/);
  const footer = chair.page.locator('footer a[href="/deklaracja-dostepnosci"]');
  assert.equal(await footer.count(), 1, 'the footer links the statement');
  await chair.submit(footer);
  assert.match(await chair.text(), /Strona jest częściowo zgodna/);
  assert.match(await chair.text(), /Ewa Dostępna/);
});

test("the chair's calendar: month and week, the feed issued, read and revoked", async () => {
  for (const [at, place] of [['2026-12-10T10:00', 'Urząd Gminy, sala 102'], ['2026-12-17T12:30', 'MOPS, sala konferencyjna']]) {
    await chair.goto('/team/meetings');
    await chair.page.locator('#scheduled_at').fill(at);
    await chair.page.locator('input[name=mode]').first().check();
    await chair.page.locator('#place').fill(place);
    const r = await chair.submit('main form[action="/team/meetings"][method=post] button[type=submit]');
    assert.ok(r.status() < 400, `meeting: ${r.status()}`);
  }
  await chair.goto('/');
  await chair.submit(chair.page.locator('nav a[href="/calendar"]'));
  await chair.goto('/calendar?view=month&date=2026-12-01');
  assert.match(await chair.page.getByTestId('calendar-heading').textContent(), /grudzień 2026/);
  const cell = chair.page.locator('td[data-date="2026-12-10"]');
  assert.match(await cell.innerText(), /10:00/);
  assert.match(await cell.innerText(), /Posiedzenie zespołu interdyscyplinarnego/);
  await chair.submit(chair.page.locator('form[action="/calendar/feed"] button[type=submit]'));
  const url = await chair.page.getByTestId('feed-url').inputValue();
  assert.match(url, /\/feeds\/calendar\/ostoja_cal_[0-9a-f]{64}\.ics$/);
  await chair.goto('/calendar?view=month&date=2026-12-01');
  await chair.submit(chair.page.locator('.calendar-nav a', { hasText: 'Tydzień' }));
  assert.match(await chair.page.getByTestId('calendar-heading').textContent(), /Tydzień od/);

  // The feed, without a login: no names, no places.
  let r = await fetch(url);
  assert.equal(r.status, 200);
  const ics = await r.text();
  assert.equal((ics.match(/BEGIN:VEVENT/g) ?? []).length, 2, ics);
  assert.ok(!/sala|MOPS|Wiśniewska/.test(ics), ics);
  await chair.submit(chair.page.locator('form[action="/calendar/feed/revoke"] button[type=submit]'));
  r = await fetch(url);
  assert.equal(r.status, 404);

  // On a phone: the month as a list of the days with meetings.
  const phone = await w.open({ name: 'chair on a phone', viewport: PHONE });
  await phone.context.addCookies(await chair.context.cookies());
  await phone.goto('/calendar?view=month&date=2026-12-01');
  assert.ok(await phone.page.locator('td[data-date="2026-12-10"] .calendar-label').isVisible(), 'the day named on a phone');
  assert.ok(!(await phone.page.locator('td[data-date="2026-12-11"]').isVisible()), 'days without meetings folded');
});
