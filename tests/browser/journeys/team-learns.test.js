// The team learns from its work (issue 18, items 3–4), as the chair: a recommendation to the mayor without an
// addressee is refused beside the field with the typed text kept, then saved; its letter is a PDF; a project that
// spends more than it was granted is saved with a visible warning; both show as sections of the annual report.
// Every page under axe-core, at 1280 and at 390 px. Screenshots docs/screenshots/recommendations.png,
// recommendations-phone.png, project-overspent.png. A group member reaches neither page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { world } from '../lib/world.js';
import { PHONE, DESKTOP } from '../lib/browser.js';
import { screenshot } from '../lib/shots.js';
import { errorsTied } from '../lib/a11y.js';

let w;
let chair;
const year = new Date().getFullYear();

before(async () => {
  w = await world();
  chair = await w.person('przewodniczaca', ['chair']);
});
after(async () => w?.close());

test('a recommendation without an addressee is refused beside the field; saved, it makes the letter', async () => {
  await chair.goto('/team');
  await chair.submit(chair.page.locator('main a[href="/team/recommendations"]'));
  assert.match(await chair.page.getByTestId('recommendations-none').innerText(), new RegExp(`${year}`));
  await chair.page.locator('#recommendation').fill('Utworzyć punkt konsultacyjny dla osób doznających przemocy w Zdrojach.');
  await chair.page.locator('#justification').fill('Mieszkańcy Zdrojów dojeżdżają do punktu 12 km — „za daleko”.');
  await chair.page.locator('#status').selectOption('accepted');
  await chair.page.locator('#submitted_on').fill(`${year}-01-15`);
  await chair.page.locator('#response').fill('Punkt powstanie w przyszłym roku.');
  await chair.page.locator('#responded_on').fill(`${year}-01-10`);
  const refused = await chair.submit('main form[method=post] button[type=submit]');
  assert.equal(refused.status(), 422);
  await errorsTied(chair.page);
  assert.match(await chair.page.locator('#addressee-error').innerText(), /.+/);
  assert.match(await chair.page.locator('#responded_on-error').innerText(), /wcześniejsza/);
  assert.equal(await chair.page.locator('#justification').inputValue(), 'Mieszkańcy Zdrojów dojeżdżają do punktu 12 km — „za daleko”.');

  await chair.page.locator('#addressee').fill('Burmistrz Miasta');
  await chair.page.locator('#responded_on').fill(`${year}-01-20`);
  await chair.submit('main form[method=post] button[type=submit]');
  const table = await chair.page.getByTestId('recommendations').innerText();
  assert.match(table, /Utworzyć punkt konsultacyjny/);
  assert.match(table, /przyjęta/);
  assert.doesNotMatch(table, /accepted/, 'no raw status');
  await screenshot(chair.page, 'recommendations', { fullPage: true });

  const letter = chair.page.locator(`main a[href="/team/recommendations/letter/${year}.pdf"]`);
  const [download] = await Promise.all([chair.page.waitForEvent('download'), letter.click()]);
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(await download.path()).subarray(0, 5).toString(), '%PDF-');

  await chair.page.setViewportSize(PHONE);
  await chair.goto(`/team/recommendations?year=${year}`);
  await screenshot(chair.page, 'recommendations-phone', { fullPage: true });
  await chair.page.setViewportSize(DESKTOP);
});

test('a project spending more than its grant is saved with a visible warning', async () => {
  await chair.goto('/team/projects');
  await chair.page.locator('#title').fill('Bezpieczny dom — wsparcie rodzin');
  await chair.page.locator('#funder').selectOption('ministry');
  await chair.page.locator('#funder_name').fill('Ministerstwo Rodziny, Pracy i Polityki Społecznej');
  await chair.page.locator('#starts_on').fill(`${year}-02-01`);
  await chair.page.locator('#ends_on').fill(`${year}-01-31`);
  await chair.page.locator('#amount_granted').fill('20 000');
  await chair.page.locator('#amount_spent').fill('21 500,50');
  await chair.page.locator('#partners').fill('Komenda Powiatowa Policji');
  const refused = await chair.submit('main form[method=post] button[type=submit]');
  assert.equal(refused.status(), 422);
  await errorsTied(chair.page);
  assert.match(await chair.page.locator('#ends_on-error').innerText(), /wcześniejszy/);
  assert.equal(await chair.page.locator('#amount_spent').inputValue(), '21 500,50');

  await chair.page.locator('#ends_on').fill(`${year}-12-31`);
  await chair.submit('main form[method=post] button[type=submit]');
  assert.match(new URL(chair.page.url()).pathname, /^\/team\/projects\/[0-9a-f-]{36}$/);
  assert.match(await chair.page.getByTestId('project-overspent').innerText(), /Wydano więcej, niż przyznano/);
  assert.match(await chair.page.getByTestId('projects').innerText(), /powyżej przyznanej kwoty/);
  await screenshot(chair.page, 'project-overspent', { fullPage: true });
  await chair.page.setViewportSize(PHONE);
  await chair.goto('/team/projects');
  await chair.page.setViewportSize(DESKTOP);
});

test('a group member reaches neither register', async () => {
  const member = await w.person('pracownik.socjalny', ['group_member']);
  for (const path of ['/team/recommendations', '/team/projects', `/team/recommendations/letter/${year}.pdf`]) {
    await member.refused(path);
  }
  await member.done?.();
});
