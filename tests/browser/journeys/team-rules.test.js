// The team's rules and agreements (issue 18 item 5), as the chair: the rules (regulamin) recorded with the
// resolution that adopted them, a missing resolution number refused beside the field with the typed text kept; a
// standard for institutions with an institution's acknowledgement; an agreement with a member institution refused
// when it ends before it starts, then saved lapsing soon, shown on the agreements page and on the home page. Every
// page under axe-core, at 1280 and at 390 px. Screenshots docs/screenshots/team-rules.png, team-rules-phone.png,
// team-standard.png, team-standard-phone.png, team-agreements.png, team-agreements-phone.png. A group member
// reaches none of the pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { polishDay } from '../lib/forms.js';

import { world } from '../lib/world.js';
import { PHONE, DESKTOP } from '../lib/browser.js';
import { screenshot } from '../lib/shots.js';
import { errorsTied } from '../lib/a11y.js';

let w;
let chair;
/** The day `offset` days from today, as a date field takes it. */
const iso = (offset) => polishDay(offset);

async function addInstitution(admin, teryt, name, kind) {
  await admin.goto(`/admin/tenants/${teryt}/institutions`);
  await admin.page.locator('#name').fill(name);
  await admin.page.locator('#kind').selectOption(kind);
  await admin.submit(`form[action="/admin/tenants/${teryt}/institutions"] button[type=submit]`);
  assert.match(await admin.text(), new RegExp(name));
}

before(async () => {
  w = await world();
  await addInstitution(w.admin, w.teryt, 'Komenda Powiatowa Policji', 'police');
  await addInstitution(w.admin, w.teryt, 'Szkoła Podstawowa nr 1 im. Marii Skłodowskiej-Curie', 'education');
  chair = await w.person('przewodniczaca', ['chair']);
});
after(async () => w?.close());

test('the rules are recorded with their resolution; a missing number is refused beside the field', async () => {
  await chair.goto('/team');
  await chair.submit(chair.page.locator('main a[href="/team/rules"]'));
  assert.match(await chair.page.getByTestId('rules-none').innerText(), /nie został jeszcze zapisany/);
  const text = 'Rozdział 1. Postanowienia ogólne\n§ 1. Zespół Interdyscyplinarny działa na podstawie art. 9a ustawy.\n§ 2. Posiedzenia odbywają się nie rzadziej niż raz na dwa miesiące.';
  await chair.page.locator('#body').fill(text);
  await chair.page.locator('#resolution_on').fill(iso(-40));
  await chair.page.locator('#in_force_from').fill(iso(-30));
  const refused = await chair.submit('form[action="/team/rules"] button[type=submit]');
  assert.equal(refused.status(), 422);
  await errorsTied(chair.page);
  assert.match(await chair.page.locator('#resolution_number-error').innerText(), /wymagane/);
  assert.equal(await chair.page.locator('#body').inputValue(), text);

  await chair.page.locator('#resolution_number').fill('12/2026');
  await chair.submit('form[action="/team/rules"] button[type=submit]');
  assert.match(await chair.text(), /Zapisano/);
  const inForce = await chair.page.getByTestId('document-in-force').innerText();
  assert.match(inForce, /Wersja 1/);
  assert.match(inForce, /uchwałą nr 12\/2026/);
  assert.match(await chair.page.getByTestId('document-history').innerText(), /obowiązuje/);
  await screenshot(chair.page, 'team-rules', { fullPage: true });
  await chair.page.setViewportSize(PHONE);
  await chair.goto('/team/rules');
  await screenshot(chair.page, 'team-rules-phone', { fullPage: true });
  await chair.page.setViewportSize(DESKTOP);
});

test('a standard for institutions records which institution acknowledged its version', async () => {
  await chair.goto('/team/standards');
  await chair.page.locator('#title').fill('Standard reagowania na przemoc domową w szkole');
  await chair.page.locator('#body').fill('1. Pracownik, który podejrzewa przemoc, informuje pedagoga.\n2. Pedagog wszczyna procedurę „Niebieskie Karty”.');
  await chair.page.locator('#resolution_number').fill('13/2026');
  await chair.page.locator('#resolution_on').fill(iso(-20));
  await chair.page.locator('#in_force_from').fill(iso(-20));
  await chair.submit('form[action="/team/standards"] button[type=submit]');
  assert.match(new URL(chair.page.url()).pathname, /^\/team\/standards\/[0-9a-f-]{36}$/);
  assert.match(await chair.page.getByTestId('standard-missing').innerText(), /Komenda Powiatowa Policji/);

  await chair.page.locator('#institution_id').selectOption({ label: 'Szkoła Podstawowa nr 1 im. Marii Skłodowskiej-Curie' });
  await chair.page.locator('#acknowledged_on').fill(iso(3));
  const refused = await chair.submit('form[action$="/acknowledgements"] button[type=submit]');
  assert.equal(refused.status(), 422);
  await errorsTied(chair.page);
  assert.match(await chair.page.locator('#acknowledged_on-error').innerText(), /późniejsza niż dzisiejsza/);
  await chair.page.locator('#acknowledged_on').fill(iso(-1));
  await chair.submit('form[action$="/acknowledgements"] button[type=submit]');
  assert.match(await chair.text(), /Zapisano/);
  assert.match(await chair.page.getByTestId('standard-acknowledgements').first().innerText(), /Szkoła Podstawowa nr 1/);
  assert.match(await chair.page.getByTestId('standard-missing').innerText(), /Komenda Powiatowa Policji\.$/);
  await screenshot(chair.page, 'team-standard', { fullPage: true });
  const path = new URL(chair.page.url()).pathname;
  await chair.page.setViewportSize(PHONE);
  await chair.goto(path);
  await screenshot(chair.page, 'team-standard-phone', { fullPage: true });
  await chair.page.setViewportSize(DESKTOP);
  await chair.goto('/team/standards');
  assert.match(await chair.page.getByTestId('standards').innerText(), /1 z 2 instytucji/);
});

test('an agreement about to lapse is shown on its page and on the home page', async () => {
  await chair.goto('/team/agreements');
  await chair.page.locator('#institution_id').selectOption({ label: 'Komenda Powiatowa Policji' });
  await chair.page.locator('#subject').fill('Udział przedstawiciela Policji w pracach zespołu i grup diagnostyczno-pomocowych.');
  await chair.page.locator('#signed_on').fill(iso(-400));
  await chair.page.locator('#in_force_from').fill(iso(-400));
  await chair.page.locator('#in_force_to').fill(iso(-500));
  const refused = await chair.submit('main form[method=post] button[type=submit]');
  assert.equal(refused.status(), 422);
  await errorsTied(chair.page);
  assert.match(await chair.page.locator('#in_force_to-error').innerText(), /późniejszy/);
  assert.match(await chair.page.locator('#subject').inputValue(), /grup diagnostyczno-pomocowych/);

  await chair.page.locator('#in_force_to').fill(iso(20));
  await chair.submit('main form[method=post] button[type=submit]');
  assert.match(new URL(chair.page.url()).pathname, /^\/team\/agreements\/[0-9a-f-]{36}$/);
  assert.match(await chair.text(), /Zapisano/);
  assert.match(await chair.page.getByTestId('agreements-attention').innerText(), /Wkrótce wygasa porozumienie z: Komenda Powiatowa Policji/);
  assert.equal(await chair.page.getByTestId('agreement-state').first().innerText(), 'wkrótce wygasa');
  await screenshot(chair.page, 'team-agreements', { fullPage: true });
  await chair.page.setViewportSize(PHONE);
  await chair.goto('/team/agreements');
  await screenshot(chair.page, 'team-agreements-phone', { fullPage: true });
  await chair.page.setViewportSize(DESKTOP);

  await chair.goto('/');
  assert.match(await chair.page.getByTestId('home-agreements').innerText(), /wkrótce wygasają: 1/);
});

test('a group member reaches none of the pages', async () => {
  const member = await w.person('pracownik.socjalny', ['group_member']);
  for (const path of ['/team/rules', '/team/standards', '/team/agreements']) {
    await member.refused(path);
  }
  await member.done?.();
});
