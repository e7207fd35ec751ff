// The county coordinator's page (issue 17): the municipality's chair approves the year's statutory figures (which
// submits them to the county and voivodeship); the county's coordinator sees who has submitted, the sums with small
// counts shown "<5", a line per municipality as bars with a table beside them and the trend; returns the submission
// with a comment (a too-short one refused beside its field, the text kept); the chair reads why on the statutory
// page. No name or case number anywhere on the coordinator's pages. Screenshots docs/screenshots/county.png (1280 px)
// and county-phone.png (390 px).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { polishDay } from '../lib/forms.js';

import { world, createTenant } from '../lib/world.js';
import { PHONE, person } from '../lib/browser.js';
import { screenshot } from '../lib/shots.js';
import { errorsTied } from '../lib/a11y.js';

let w;
let chair;
let county;
const YEAR = new Date().getFullYear() - 1;

before(async () => {
  w = await world();
  await createTenant(w.admin, '1016', 'Powiat tomaszowski');
  chair = await w.person('przewodniczaca', ['chair'], { fullName: 'Maria Żak' });
  county = await person(w.browser, w.app, '1016', 'koordynator.powiatu', ['county_coordinator'], { fullName: 'Jan Powiatowy' });
});
after(async () => {
  await county?.done();
  await w?.close();
});

test('the chair approves the year and the county coordinator sees the submission and the sums, figures only', async () => {
  await chair.goto(`/programme/statutory?year=${YEAR}`);
  await chair.page.locator('#value-children_secured_elsewhere').fill('3');
  await chair.submit(chair.page.locator('form[action$="/entry"] button[type=submit]').first());
  await chair.submit(chair.page.getByRole('button', { name: 'Zatwierdź' }));
  assert.match(await chair.text(), /Zatwierdzona wersja 1/);

  await county.goto('/');
  await county.submit(county.page.getByRole('link', { name: 'Sprawozdania gmin' }));
  await county.goto(`/area?year=${YEAR}&line=children_secured`);
  const text = await county.text();
  assert.match(text, /powiat tomaszowski: sprawozdania gmin za rok/);
  assert.match(text, /Przekazało 1 z 1 gmin/);
  assert.match(text, /Gmina Ostoja/);
  assert.equal(await county.page.getByTestId('area-children_secured').innerText(), '<5');
  assert.doesNotMatch(text, /Maria Żak|NK\/\d{4}\//, 'no person, no case number');
  assert.doesNotMatch(text, /children_secured|county_coordinator/, 'no codes');
  await screenshot(county.page, 'county', { fullPage: true });
});

test('a return needs a comment; the chair reads it on the statutory page', async () => {
  await county.goto(`/area?year=${YEAR}`);
  await county.page.locator('summary', { hasText: 'Zwróć do poprawy' }).click();
  await county.page.locator('textarea[name=comment]').fill('za mało');
  await county.submit(county.page.getByRole('button', { name: 'Zwróć sprawozdanie' }));
  assert.match(await county.text(), /co najmniej 10 znaków/);
  assert.equal(await county.page.locator('textarea[name=comment]').inputValue(), 'za mało');
  await errorsTied(county.page);
  await county.page.locator('textarea[name=comment]').fill('Dzieci zabezpieczone: proszę sprawdzić z OPS.');
  await county.submit(county.page.getByRole('button', { name: 'Zwróć sprawozdanie' }));
  assert.match(await county.text(), /zwrócono do poprawy/);
  await chair.goto(`/programme/statutory?year=${YEAR}`);
  assert.match(await chair.page.getByTestId('statutory-returned').innerText(), /proszę sprawdzić z OPS/);
});

test('at 390 px on a phone the county page reflows', async () => {
  const phone = await w.open({ viewport: PHONE, name: 'county-phone' });
  phone.login = county.login;
  phone.secret = county.secret;
  await phone.goto('/login');
  await phone.signIn();
  await phone.goto(`/area?year=${YEAR}`);
  assert.match(await phone.text(), /Gmina Ostoja/);
  await screenshot(phone.page, 'county-phone', { fullPage: true });
});

test("the county enters its programme's edition (refused beside the field first) and sees it on its page, on a phone too", async () => {
  const today = polishDay(0);
  await county.goto(`/area?year=${YEAR + 1}`);
  await county.submit(county.page.getByRole('link', { name: 'Wpisz edycje programów i zaświadczenia' }));
  assert.match(await county.text(), /Programy powiatu dla osób stosujących przemoc/);
  await county.page.locator('#edition-new-kind').selectOption('correctional_educational');
  await county.page.locator('#edition-new-starts_on').fill(today);
  await county.page.locator('#edition-new-ends_on').fill(today);
  await county.page.locator('#edition-new-registrations').fill('12');
  await county.page.locator('#edition-new-completions').fill('14');
  await county.submit(county.page.getByRole('button', { name: 'Dodaj edycję' }));
  assert.match(await county.text(), /Ukończyć nie mogło więcej osób, niż się zgłosiło/);
  assert.equal(await county.page.locator('#edition-new-completions').inputValue(), '14', 'the typed number is kept');
  await errorsTied(county.page);
  await county.page.locator('#edition-new-completions').fill('9');
  await county.submit(county.page.getByRole('button', { name: 'Dodaj edycję' }));
  // A certificate sent by post (no reference): counted, listed as such.
  await county.page.locator('#certificate-kind').selectOption('completion');
  await county.page.locator('#certificate-issued_on').fill(today);
  await county.submit(county.page.getByRole('button', { name: 'Zapisz zaświadczenie' }));
  assert.match(await county.text(), /wysłane pocztą/);

  await county.goto(`/area?year=${today.slice(0, 4)}`);
  const table = await county.page.getByTestId('county-programmes').innerText();
  assert.match(table, /Program korekcyjno-edukacyjny\s+1\s+12\s+9\s+0\s+1/);
  assert.doesNotMatch(await county.text(), /correctional_educational|Maria Żak/);
  await screenshot(county.page, 'county-programmes', { fullPage: true });

  const phone = await w.open({ viewport: PHONE, name: 'county-programmes-phone' });
  phone.login = county.login;
  phone.secret = county.secret;
  await phone.goto('/login');
  await phone.signIn();
  await phone.goto('/area/programmes');
  assert.match(await phone.text(), /Program korekcyjno-edukacyjny/);
});
