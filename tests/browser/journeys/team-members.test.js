// Members' qualifications and the team's working groups (issue 18, items 6–7). The chair adds a member linked to a
// group member's account, names her coordinator for children, records her training history (a completion date in
// the future is refused beside the field with the typed text kept; the mandatory training then closes the 12-month
// clock) and sets a working group up with her in it. She, a group member, finds the group, adds a task and records a
// meeting (one dated before the group was set up is refused beside the field); another group member does not find
// it. Every page under axe-core, at 1280 and at 390 px. Screenshots docs/screenshots/working-group.png,
// working-group-phone.png and member-trainings.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { polishDay } from '../lib/forms.js';

import { world } from '../lib/world.js';
import { PHONE, DESKTOP } from '../lib/browser.js';
import { screenshot } from '../lib/shots.js';
import { errorsTied } from '../lib/a11y.js';

let w;
let chair;
let member;
let groupPath;
const daysAgo = (n) => polishDay(-n);
const tomorrow = polishDay(1);

before(async () => {
  w = await world();
  chair = await w.person('przewodniczaca', ['chair']);
  member = await w.person('pracownik.socjalny', ['group_member']);
});
after(async () => w?.close());

test('a member has a training history and coordinates an area shown on /team', async () => {
  await chair.goto('/team/members/new');
  await chair.page.locator('#full_name').fill('Katarzyna Wiśniewska');
  await chair.page.locator('#account_id').selectOption({ label: 'pracownik.socjalny' });
  await chair.page.locator('#appointed_on').fill(daysAgo(100));
  await chair.page.locator('#confidentiality_signed_on').fill(daysAgo(100));
  await chair.page.locator('input[name=coordination_areas][value=children]').check();
  await chair.submit('main form[method=post] button[type=submit]');
  const coordinators = await chair.page.getByTestId('team-coordinators').innerText();
  assert.match(coordinators, /dzieci\s+Katarzyna Wiśniewska/);
  assert.doesNotMatch(coordinators, /children/, 'no raw area key');
  assert.match(await chair.page.getByTestId('team-members').innerText(), /do \d\d\.\d\d\.\d{4}/, 'the training is due');

  await chair.submit(chair.page.locator('main a', { hasText: 'Katarzyna Wiśniewska' }));
  await chair.submit(chair.page.getByTestId('member-trainings'));
  await chair.page.locator('#kind').selectOption('studium_first_degree');
  await chair.page.locator('#title').fill('Studium Przeciwdziałania Przemocy w Rodzinie I stopnia');
  await chair.page.locator('#organiser').fill('Niebieska Linia IPZ');
  await chair.page.locator('#starts_on').fill(daysAgo(60));
  await chair.page.locator('#completed_on').fill(tomorrow);
  await chair.page.locator('#hours').fill('120');
  const refused = await chair.submit('form[action$="/trainings"] button[type=submit]');
  assert.equal(refused.status(), 422);
  await errorsTied(chair.page);
  assert.match(await chair.page.locator('#completed_on-error').innerText(), /późniejsza niż dzisiejsza/);
  assert.equal(await chair.page.locator('#title').inputValue(), 'Studium Przeciwdziałania Przemocy w Rodzinie I stopnia');
  await chair.page.locator('#completed_on').fill(daysAgo(10));
  await chair.submit('form[action$="/trainings"] button[type=submit]');
  assert.match(await chair.page.getByTestId('trainings').innerText(), /Studium I stopnia/);
  assert.match(await chair.page.getByTestId('training-state').innerText(), /do \d\d\.\d\d\.\d{4}/, 'a Studium is not the mandatory training');

  await chair.page.locator('#kind').selectOption('mandatory');
  await chair.page.locator('#title').fill('Szkolenie dla członków zespołu interdyscyplinarnego');
  await chair.page.locator('#completed_on').fill(daysAgo(5));
  await chair.submit('form[action$="/trainings"] button[type=submit]');
  assert.match(await chair.page.getByTestId('training-state').innerText(), /ukończone/);
  await screenshot(chair.page, 'member-trainings', { fullPage: true });
  await chair.page.setViewportSize(PHONE);
  await chair.page.reload();
  await chair.check();
  await chair.page.setViewportSize(DESKTOP);
});

test('the chair sets a working group up; its member works in it; another group member does not find it', async () => {
  await chair.goto('/team');
  await chair.submit(chair.page.locator('main a[href="/team/working-groups"]'));
  assert.match(await chair.page.getByTestId('working-groups-none').innerText(), /nie ma jeszcze grup/);
  await chair.page.locator('#name').fill('Grupa ds. przemocy wobec osób starszych');
  await chair.page.locator('#purpose').fill('Kampania w przychodniach; wspólna procedura z Policją.');
  await chair.page.locator('#established_on').fill(daysAgo(30));
  await chair.page.locator('#chair_member_id').selectOption({ label: 'Katarzyna Wiśniewska' });
  await chair.submit('form[action="/team/working-groups"] button[type=submit]');
  groupPath = new URL(chair.page.url()).pathname;
  assert.match(groupPath, /^\/team\/working-groups\/[0-9a-f-]{36}$/);
  assert.match(await chair.page.getByTestId('working-group-members').innerText(), /Katarzyna Wiśniewska/);

  await member.goto('/team/working-groups');
  await member.submit(member.page.locator('main a', { hasText: 'Grupa ds. przemocy wobec osób starszych' }));
  await member.page.locator('summary', { hasText: 'Dodaj zadanie' }).click();
  await member.page.locator('#title').fill('Ulotka dla przychodni');
  await member.page.locator('#owner_member_id').selectOption({ label: 'Katarzyna Wiśniewska' });
  await member.page.locator('#due_on').fill(polishDay(30));
  await member.submit('form[action$="/tasks"] button[type=submit]');
  assert.match(await member.page.getByTestId('working-group-tasks').innerText(), /Ulotka dla przychodni[\s\S]*do zrobienia/);

  await member.page.locator('summary', { hasText: 'Wpisz spotkanie' }).click();
  await member.page.locator('#held_on').fill(daysAgo(31));
  await member.page.locator('#agenda').fill('1. Ulotka. 2. Procedura z Policją.');
  await member.page.locator('#minutes').fill('Ustalono treść ulotki; projekt do 15. dnia miesiąca.');
  await member.page.locator('input[name=attended]').first().check();
  const early = await member.submit('form[action$="/meetings"] button[type=submit]');
  assert.equal(early.status(), 422);
  await errorsTied(member.page);
  assert.match(await member.page.locator('#held_on-error').innerText(), /przed powołaniem grupy/);
  assert.equal(await member.page.locator('#minutes').inputValue(), 'Ustalono treść ulotki; projekt do 15. dnia miesiąca.');
  await member.page.locator('#held_on').fill(daysAgo(2));
  await member.submit('form[action$="/meetings"] button[type=submit]');
  const meeting = await member.page.getByTestId('working-group-meeting').innerText();
  assert.match(meeting, /Ustalono treść ulotki/);
  assert.match(meeting, /Obecni: Katarzyna Wiśniewska/);
  await member.page.locator('select[id^="status-"]').first().selectOption('in_progress');
  await member.submit(member.page.locator('form[action*="/tasks/"] button[type=submit]').first());
  assert.match(await member.page.getByTestId('working-group-tasks').innerText(), /w toku/);
  await screenshot(member.page, 'working-group', { fullPage: true });
  await member.page.setViewportSize(PHONE);
  await member.page.reload();
  await member.check();
  await screenshot(member.page, 'working-group-phone', { fullPage: true });
  await member.page.setViewportSize(DESKTOP);

  const other = await w.person('policjant', ['group_member']);
  await other.goto('/team/working-groups');
  assert.match(await other.page.getByTestId('working-groups-none').innerText(), /Nie należysz/);
  await other.refused(groupPath);
  for (const path of ['/team/members/00000000-0000-7000-8000-000000000000/trainings']) {
    await other.refused(path);
  }
});
