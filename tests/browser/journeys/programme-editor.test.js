// The programme written in the browser and a new team's first steps (issue 16 items 6 and 11). The chair of a new
// municipality sees the checklist of first steps on the home page (progress from the data, nothing to tick), an empty
// team that says what to do next, then writes the municipal programme on its pages: a goal, a task with its
// responsible institution and time frame, an indicator with yearly targets (a target that is not a number refused
// beside the field with everything typed kept), the council's resolution; then amends it with a second resolution
// and date. (Its screenshot is daily-demo.test.js's.) The same pages at 390 px on a phone; an aggregate viewer
// reads the programme but is refused the editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { world } from '../lib/world.js';
import { PHONE } from '../lib/browser.js';
import { errorsTied } from '../lib/a11y.js';

let w;
let chair;
let programme;

const byId = (p, id) => p.page.locator(`[id="${id}"]`);

before(async () => {
  w = await world();
  const { admin, teryt } = w;
  await admin.goto(`/admin/tenants/${teryt}/institutions`);
  await admin.page.locator('#name').fill('Miejski Ośrodek Pomocy Społecznej');
  await admin.page.locator('#kind').selectOption('social_welfare');
  await admin.submit(`form[action="/admin/tenants/${teryt}/institutions"] button[type=submit]`);
  chair = await w.person('przewodniczaca', ['chair'], { fullName: 'Maria Żak' });
});
after(async () => w?.close());

test('a new team sees its first steps with progress from the data, and an empty team says what to do next', async () => {
  await chair.goto('/');
  const summary = chair.page.getByTestId('start-summary');
  assert.match(await summary.innerText(), /Pierwsze kroki zespołu/);
  assert.match(await summary.innerText(), /Zrobione: 1 z 7/, 'the institution the administrator added counts');
  await chair.submit(summary.getByRole('link', { name: 'Zobacz listę pierwszych kroków' }));
  assert.equal(await chair.page.locator('[data-step="institutions"]').getAttribute('class'), 'start-done');
  assert.equal(await chair.page.locator('[data-step="programme"]').getAttribute('class'), 'start-open');
  await chair.goto('/team');
  const text = await chair.text();
  assert.match(text, /Zespół nie ma jeszcze członków/);
  assert.doesNotMatch(text, /Zasady pracy zespołu są dotrzymane/);
});

test('the chair writes the programme with a goal, a task, an indicator with targets, and amends it', async () => {
  await chair.goto('/programme');
  assert.doesNotMatch(await chair.text(), /api\/v1/, 'no API instructions on the page');
  await chair.submit(chair.page.getByRole('link', { name: /Nowy program/ }));
  await chair.page.locator('#title').fill('Gminny Program Przeciwdziałania Przemocy Domowej 2026–2030');
  await chair.page.locator('#period_from').fill('2026');
  await chair.page.locator('#period_to').fill('2030');
  await chair.page.locator('#strategic_goal').fill('Ograniczenie zjawiska przemocy domowej w gminie.');
  await chair.submit(chair.page.getByRole('button', { name: 'Dodaj cel szczegółowy' }));
  await byId(chair, 'g0.title').fill('Zwiększenie dostępności pomocy dla osób doznających przemocy domowej.');
  await chair.submit(chair.page.getByRole('button', { name: 'Dodaj zadanie do tego celu' }));
  await byId(chair, 'g0.t0.title').fill('Wspólne wizyty pracownika socjalnego i dzielnicowego.');
  await chair.page.locator('section.pe-task fieldset').first().getByLabel('Miejski Ośrodek Pomocy Społecznej').check();
  await byId(chair, 'g0.t0.to_year').fill('2028');
  await chair.submit(chair.page.getByRole('button', { name: 'Dodaj wskaźnik do tego zadania' }));
  assert.equal(await byId(chair, 'g0.t0.title').inputValue(), 'Wspólne wizyty pracownika socjalnego i dzielnicowego.', 'kept');
  await byId(chair, 'g0.t0.i0.name').fill('liczba wspólnych wizyt');
  await chair.page.locator('section.pe-indicator fieldset').first().getByLabel('Miejski Ośrodek Pomocy Społecznej').check();
  await byId(chair, 'g0.t0.i0.target.2026').fill('120');
  await byId(chair, 'g0.t0.i0.target.2027').fill('150');
  await chair.page.locator('#resolution').fill('Uchwała nr XV/120/2026 Rady Gminy Ostoja z dnia 26 marca 2026 r.');
  await chair.page.locator('#applies_from').fill('2026-04-01');
  await byId(chair, 'g0.t0.i0.target.2027').fill('sto pięćdziesiąt');

  // A target that is not a number: refused beside its field, everything typed kept, the summary links to it.
  let r = await chair.submit(chair.page.getByRole('button', { name: 'Zapisz program' }));
  assert.equal(r.status(), 422);
  await errorsTied(chair.page);
  assert.match(await byId(chair, 'g0.t0.i0.target.2027-error').textContent(), /Wpisz liczbę całkowitą/);
  assert.equal(await byId(chair, 'g0.t0.i0.target.2027').inputValue(), 'sto pięćdziesiąt');
  assert.equal(await byId(chair, 'g0.t0.i0.name').inputValue(), 'liczba wspólnych wizyt');
  assert.equal(await chair.page.getByTestId('error-summary').locator('a[href="#g0.t0.i0.target.2027"]').count(), 1);
  await byId(chair, 'g0.t0.i0.target.2027').fill('150');
  r = await chair.submit(chair.page.getByRole('button', { name: 'Zapisz program' }));
  assert.equal(r.status(), 200);
  programme = new URL(chair.page.url()).pathname.split('/')[2];
  let text = await chair.text();
  assert.match(text, /Zapisano\. Obowiązuje wersja 1\./);
  assert.match(text, /Uchwała nr XV\/120\/2026/);
  assert.match(text, /liczba wspólnych wizyt/);
  assert.match(text, /2026: 120, 2027: 150/);
  assert.match(text, /2026–2028/, "the task's time frame");

  // The amendment: the editor opens with the version in force; a computed indicator is added on a new resolution.
  await chair.submit(chair.page.getByRole('link', { name: /Zmień program/ }));
  assert.equal(await byId(chair, 'g0.t0.i0.name').inputValue(), 'liczba wspólnych wizyt');
  await chair.submit(chair.page.getByRole('button', { name: 'Dodaj wskaźnik do tego zadania' }));
  await byId(chair, 'g0.t0.i1.name').fill('liczba wizyt domowych grup');
  await byId(chair, 'g0.t0.i1.source').selectOption('home_visits');
  await byId(chair, 'g0.t0.i1.target.2027').fill('60');
  await chair.page.locator('#resolution').fill('Uchwała nr XX/160/2026 Rady Gminy Ostoja zmieniająca program');
  await chair.page.locator('#applies_from').fill('2026-03-01');
  r = await chair.submit(chair.page.getByRole('button', { name: 'Zapisz zmianę programu' }));
  assert.equal(r.status(), 422, 'an amendment may not apply before the version it amends');
  await errorsTied(chair.page);
  assert.equal(await byId(chair, 'g0.t0.i1.name').inputValue(), 'liczba wizyt domowych grup', 'kept');
  await chair.page.locator('#applies_from').fill('2026-09-01');
  await chair.submit(chair.page.getByRole('button', { name: 'Zapisz zmianę programu' }));
  text = await chair.text();
  assert.match(text, /Wersja 2: Uchwała nr XX\/160\/2026 Rady Gminy Ostoja zmieniająca program, obowiązuje od 2026-09-01/);
  assert.match(text, /liczba wizyt domowych grup — liczy Ostoja/);
  await chair.goto('/start');
  assert.equal(await chair.page.locator('[data-step="programme"]').getAttribute('class'), 'start-done');
});

test('on a phone at 390 px the editor and the checklist reflow; an aggregate viewer cannot write', async () => {
  const phone = await w.open({ viewport: PHONE, name: 'chair-phone' });
  phone.login = chair.login;
  phone.secret = chair.secret;
  await phone.goto('/login');
  await phone.signIn();
  await phone.goto(`/programme/${programme}/amend`);
  assert.equal(await byId(phone, 'g0.t0.i1.name').inputValue(), 'liczba wizyt domowych grup');
  await phone.submit(phone.page.getByRole('button', { name: 'Dodaj cel szczegółowy' }));
  assert.equal(await byId(phone, 'g1.title').count(), 1);
  await phone.goto(`/programme/${programme}`);
  await phone.goto('/start');
  const viewer = await w.person('obserwator', ['aggregate_viewer']);
  await viewer.goto(`/programme/${programme}`);
  assert.match(await viewer.text(), /liczba wspólnych wizyt/);
  assert.equal(await viewer.page.getByRole('link', { name: /Zmień program/ }).count(), 0);
  await viewer.refused('/programme/new');
  await viewer.refused(`/programme/${programme}/amend`);
  await viewer.refused('/start');
});
