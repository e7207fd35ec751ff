// The programme (issue 5): the chair adopts it through the API (`POST /api/v1/programmes`, with a token from the real
// CLI); the administrator makes two institutions, the chair a programme reporter of the social welfare centre on the team's
// accounts page; the reporter enters the centre's values (a non-number and a negative are refused beside the field with the
// typed value kept, a value far off last year's asks to confirm) and reaches neither the team's pages, nor the
// figures, nor the Police's indicator; the chair opens the annual report preview (screenshot
// docs/screenshots/annual-report.png) and downloads its PDF. The team's pages are checked as
// the chair, and the public directory of help without a login, its quick exit reached by keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { world } from '../lib/world.js';
import { Person } from '../lib/browser.js';
import { screenshot } from '../lib/shots.js';
import { errorsTied } from '../lib/a11y.js';

let w;
let chair;
let reporter;
let programme;
const institutions = {};

async function addInstitution(admin, teryt, name, kind) {
  await admin.goto(`/admin/tenants/${teryt}/institutions`);
  await admin.page.locator('#name').fill(name);
  await admin.page.locator('#kind').selectOption(kind);
  await admin.submit(`form[action="/admin/tenants/${teryt}/institutions"] button[type=submit]`);
  assert.match(await admin.text(), new RegExp(name));
}

before(async () => {
  w = await world();
  const { admin, teryt } = w;
  await addInstitution(admin, teryt, 'Miejski Ośrodek Pomocy Społecznej', 'social_welfare');
  await addInstitution(admin, teryt, 'Komenda Powiatowa Policji', 'police');
  // The reporter belongs to an institution: the CLI has no option for it, the accounts page has. Once the
  // municipality has its chair, its accounts are the chair's to make (the administrator makes only the first chair).
  chair = await w.person('przewodniczaca', ['chair'], { fullName: "Maria O'Neill-Żak" });
  await chair.goto('/team/accounts');
  for (const o of await chair.page.locator('#institution option').all()) {
    const v = await o.getAttribute('value');
    if (v) institutions[(await o.textContent()).trim()] = v;
  }
  const mops = institutions['Miejski Ośrodek Pomocy Społecznej'];
  const police = institutions['Komenda Powiatowa Policji'];
  assert.ok(mops && police, JSON.stringify(institutions));
  await chair.page.locator('#login').fill('sprawozdawca.mops');
  await chair.page.locator('#full_name').fill('Bożena Źdźbło');
  await chair.page.locator('#institution').selectOption(mops);
  await chair.page.locator('form[action="/team/accounts"] input[name=roles][value=programme_reporter]').check();
  await chair.submit('form[action="/team/accounts"] button[type=submit]');
  const link = new URL((await chair.page.getByTestId('activation-link').textContent()).trim());
  reporter = await Person.open(w.browser, w.app, { name: 'sprawozdawca.mops' });
  await reporter.activate(w.app.url(link.pathname), 'sprawozdawca.mops');

  const token = (await w.app.cli('token', 'issue', '--login', 'przewodniczaca', '--name', 'browser')).trim();
  const content = {
    strategic_goal: 'Zwiększenie skuteczności działań podmiotów.',
    goals: [{
      id: 'g1', title: 'Wzmocnienie ochrony osób doznających przemocy domowej.', tasks: [{
        id: 'g1t1', title: 'Wspólne wizyty w środowiskach.', institutions: [mops, police], from_year: 2025, to_year: 2030,
        indicators: [
          { id: 'g1t1i1', name: 'liczba osób korzystających ze wsparcia', source: { kind: 'entered', institutions: [mops] }, targets: { 2026: 400 } },
          { id: 'g1t1i2', name: 'liczba interwencji Policji', source: { kind: 'entered', institutions: [police] }, targets: {} },
          { id: 'g1t1i3', name: 'liczba wizyt', source: { kind: 'computed', key: 'home_visits' }, targets: {} },
        ],
      }],
    }],
  };
  const r = await fetch(w.app.url('/api/v1/programmes'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Gminny Program 2025–2030', period_from: 2025, period_to: 2030,
      applies_from: '2025-01-01', resolution: 'Uchwała nr XII/34/2025', content }),
  });
  const body = await r.text();
  assert.equal(r.status, 201, body);
  programme = JSON.parse(body).id;
});
after(async () => w?.close());

const row = (p, id) => p.page.locator(`#indicator-${id}`);

test('a programme reporter enters indicator values; bad input is refused beside the field, typed value kept', async () => {
  await reporter.goto('/programme');
  await reporter.submit(reporter.page.locator(`a[href="/programme/${programme}/entries/2025"]`));
  assert.equal(await row(reporter, 'g1t1i2').count(), 0, "the Police's indicator is not on the centre's page");
  assert.equal(await row(reporter, 'g1t1i3').count(), 0, 'computed indicators are not entered');

  for (const [typed, message] of [['sto', /Wpisz liczbę całkowitą/], ['-5', /nie może być ujemna/]]) {
    await reporter.field('liczba osób korzystających ze wsparcia').fill(typed);
    await reporter.page.locator('#note-g1t1i1').fill('z rejestru MOPS — „Niebieskie Karty”');
    const r = await reporter.submit(row(reporter, 'g1t1i1').getByRole('button'));
    assert.equal(r.status(), 422, typed);
    await errorsTied(reporter.page);
    assert.match(await reporter.page.locator('#value-g1t1i1-error').textContent(), message);
    assert.equal(await reporter.page.locator('#value-g1t1i1').inputValue(), typed, 'the typed value is kept');
    assert.equal(await reporter.page.locator('#value-g1t1i1').getAttribute('aria-describedby'), 'value-g1t1i1-error');
    assert.equal(await reporter.page.locator('#note-g1t1i1').inputValue(), 'z rejestru MOPS — „Niebieskie Karty”');
  }
  await reporter.field('liczba osób korzystających ze wsparcia').fill('100');
  await reporter.submit(row(reporter, 'g1t1i1').getByRole('button'));
  assert.equal(new URL(reporter.page.url()).pathname, `/programme/${programme}/entries/2025`);
  assert.equal(await reporter.page.locator('#value-g1t1i1').inputValue(), '100', 'saved');

  // 2026: ten times last year's value asks to confirm first.
  await reporter.goto(`/programme/${programme}/entries/2026`);
  assert.match(await row(reporter, 'g1t1i1').innerText(), /100/, "last year's value is shown");
  await reporter.field('liczba osób korzystających ze wsparcia').fill('1000');
  const asked = await reporter.submit(row(reporter, 'g1t1i1').getByRole('button'));
  assert.equal(asked.status(), 200);
  assert.match(await reporter.page.locator('#confirm-g1t1i1').textContent(), /bardzo różni się/);
  assert.equal(await reporter.page.locator('#value-g1t1i1').inputValue(), '1000');
  await row(reporter, 'g1t1i1').locator('input[name=confirm]').check();
  await reporter.submit(row(reporter, 'g1t1i1').getByRole('button'));
  assert.equal(await reporter.page.locator('#value-g1t1i1').inputValue(), '1000', 'saved after the confirmation');

  // Another institution's indicator through a tampered form: refused, nothing saved.
  await row(reporter, 'g1t1i1').locator('input[name=indicator]').evaluate((e) => (e.value = 'g1t1i2'));
  await reporter.field('liczba osób korzystających ze wsparcia').fill('7');
  const tampered = await reporter.navigates(() => row(reporter, 'g1t1i1').getByRole('button').click());
  assert.ok([403, 404, 422].includes(tampered.status()), `the Police's indicator: ${tampered.status()}`);

  // Neither the team's pages nor the figures nor the report.
  for (const path of ['/team', '/team/meetings', '/directory', '/activities', '/programme/indicators',
    `/programme/${programme}/report/2026`, `/programme/${programme}/missing/2026`]) {
    await reporter.refused(path);
  }
});

test('the chair opens the annual report preview and downloads its PDF', async () => {
  await chair.goto('/programme');
  await chair.submit(chair.page.locator(`a[href="/programme/${programme}/report/2026"]`));
  const text = await chair.text();
  assert.match(text, /Cel I/);
  assert.match(text, /liczba osób korzystających ze wsparcia/);
  assert.match(text, /Miejski Ośrodek Pomocy Społecznej/);
  assert.equal(await chair.page.locator('main strong', { hasText: /^1000$/ }).count() > 0, true, 'the entered value');
  await screenshot(chair.page, 'annual-report');
  const pdf = chair.page.locator(`main a[href="/programme/${programme}/report/2026.pdf"]`);
  assert.equal(await pdf.count(), 1, 'the report page links its PDF');
  const [download] = await Promise.all([chair.page.waitForEvent('download'), pdf.first().click()]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-', 'a PDF');
});

test("the team's pages as the chair: a help directory entry, a meeting and an activity, refusals first", async () => {
  for (const path of ['/team', '/team/members/new']) {
    assert.equal((await chair.goto(path)).status(), 200, path);
  }
  // The directory of help: an empty form is refused field by field, then the entry is saved and made public.
  await chair.goto('/directory/new');
  let r = await chair.submit('main form[action="/directory/new"] button[type=submit]');
  assert.equal(r.status(), 422);
  assert.ok(await chair.page.locator('.error').count() >= 2, 'errors beside the fields');
  await errorsTied(chair.page);
  await chair.page.locator('#name').fill('Ośrodek Interwencji Kryzysowej „Przystań”');
  await chair.page.getByLabel('interwencja kryzysowa').check();
  await chair.page.getByLabel('pomoc psychologiczna').check();
  await chair.page.locator('#address').fill("ul. Źródlana 5, 00-001 Gmina Ostoja");
  await chair.page.locator('#phone').fill('+48 22 123 45 67');
  await chair.page.locator('#languages').fill('pl uk en');
  await chair.page.locator('#last_checked_on').fill('2026-11-20');
  await chair.page.locator('input[name=is_public]').check();
  r = await chair.submit('main form[action="/directory/new"] button[type=submit]');
  assert.ok(r.status() < 400, `directory entry: ${r.status()}`);
  await chair.goto('/directory');
  assert.match(await chair.text(), /Przystań/);

  // A meeting of the team: without a date it is refused, then planned.
  await chair.goto('/team/meetings');
  r = await chair.submit('main form[action="/team/meetings"][method=post] button[type=submit]');
  assert.equal(r.status(), 422);
  await errorsTied(chair.page);
  await chair.page.locator('#scheduled_at').fill('2027-01-15T10:00');
  await chair.page.locator('input[name=mode]').first().check();
  await chair.page.locator('#place').fill('Urząd Gminy, sala 102');
  r = await chair.submit('main form[action="/team/meetings"][method=post] button[type=submit]');
  assert.ok(r.status() < 400, `meeting: ${r.status()}`);
  assert.match(new URL(chair.page.url()).pathname, /^\/team\/meetings\/[0-9a-f-]{36}$/, 'to the meeting page');
  assert.match(await chair.text(), /sala 102/);
  // Recording it as held without the date and minutes: refused beside the fields.
  r = await chair.submit('main form[action$="/held"] button[type=submit]');
  assert.equal(r.status(), 422);
  await errorsTied(chair.page);
  await chair.goto('/team/meetings?year=2027');
  assert.equal(await chair.page.locator('main table a[href^="/team/meetings/"]').count(), 1, 'listed');

  // Prevention and training: a title is required.
  await chair.goto('/activities');
  r = await chair.submit('main form[action="/activities"][method=post] button[type=submit]');
  assert.equal(r.status(), 422);
  await errorsTied(chair.page);
  await chair.page.locator('#held_on').fill('2026-10-08');
  await chair.page.locator('#title').fill('Szkolenie „Niebieska Karta” dla pedagogów');
  r = await chair.submit('main form[action="/activities"][method=post] button[type=submit]');
  assert.ok(r.status() < 400, `activity: ${r.status()}`);
  assert.match(await chair.text(), /dla pedagogów/);
});

test('the public directory of help, without a login: checked, quick exit first by keyboard', async () => {
  const visitor = await w.open({ name: 'visitor' });
  const r = await visitor.goto(`/pomoc/${w.teryt}`);
  assert.equal(r.status(), 200);
  assert.equal((await visitor.context.cookies()).length, 0, 'no cookie on the public page');
  assert.match(await visitor.text(), /Przystań/, "the chair's public entry");
  await visitor.page.keyboard.press('Tab');
  assert.equal(await visitor.page.evaluate(() => document.activeElement?.id), 'quick-exit', 'the first Tab stop');
  const exit = await visitor.page.locator('#quick-exit').getAttribute('href');
  assert.ok(exit);
  // Enter on the focused link leaves; the visitor context does not audit third-party pages, so stop there.
  visitor.audit = false;
  await visitor.page.route('**/*', (route) => (new URL(route.request().url()).origin === w.app.base
    ? route.continue()
    : route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>x</title>' })));
  await Promise.all([visitor.page.waitForURL((u) => !u.pathname.startsWith('/pomoc')), visitor.page.keyboard.press('Enter')]);
});
