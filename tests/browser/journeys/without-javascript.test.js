// The main journeys with JavaScript turned off: logging in, form A, appointing the group, a meeting, closing. Every
// form posts and redirects on its own. (axe needs JavaScript, so these pages are audited in the other journeys.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { world } from '../lib/world.js';
import { fill, formA, pesel } from '../lib/forms.js';

let w;
before(async () => {
  w = await world();
});
after(async () => w?.close());

const SUBMIT = 'main form button[type=submit]:not([name])';

test('without JavaScript: log in, file form A, appoint the group, plan a meeting, close the procedure', async () => {
  const noJs = { javaScriptEnabled: false };
  const initiator = await w.person('dzielnicowy', ['initiator'], noJs);
  const chair = await w.person('przewodniczaca', ['chair'], noJs);
  const social = await w.person('pracownik.socjalny', ['group_member'], noJs);
  await w.person('policjant.gdp', ['group_member'], noJs);

  // Logging out and in again works by plain posts.
  await initiator.goto('/');
  await initiator.logout();
  await initiator.goto('/login');
  await initiator.signIn();
  assert.match(await initiator.text(), /Witaj, dzielnicowy/);

  await initiator.goto('/procedures/new');
  // "Add another person" is a submit button: the page comes back with a second slot and what was typed.
  await fill(initiator.page, { 'affected_persons[0].last_name': 'Żak' });
  await initiator.submit('button[name=add][value=affected_persons]');
  assert.equal(await initiator.page.locator('[name="affected_persons[0].last_name"]').inputValue(), 'Żak');
  // The new slot is filled on its own part, before moving on: an empty slot is not carried to other parts.
  await fill(initiator.page, { 'affected_persons[1].first_name': 'Ola', 'affected_persons[1].last_name': 'Żak' });
  await fill(initiator.page, formA({
    'affected_persons[0].last_name': 'Żak',
    'affected_persons[0].pesel': pesel('9001011234'),
    'affected_persons[1].first_name': 'Ola',
    'affected_persons[1].last_name': 'Żak',
  }));
  const r = await initiator.submit(SUBMIT);
  assert.equal(r.status(), 200);
  const caseUrl = await initiator.forwardedToTeam();

  await chair.goto(caseUrl);
  await chair.field('pracownik.socjalny').selectOption('social_worker');
  await chair.field('policjant.gdp').selectOption('police_officer');
  await chair.submit(chair.page.getByRole('button', { name: /Powołaj/ }));
  assert.equal(new URL(chair.page.url()).pathname, caseUrl);

  await social.goto(`${caseUrl}/records/new/meeting`);
  await fill(social.page, { 'meeting.starts_at': '2027-01-12T10:00', 'meeting.with_whom': 'group_only', 'meeting.mode': 'in_person', 'meeting.place': 'Urząd Gminy, sala 5' });
  await social.submit(SUBMIT);
  assert.equal(new URL(social.page.url()).pathname, caseUrl);
  assert.match(await social.text(), /Urząd Gminy, sala 5/);

  const held = social.page.locator('form.step').filter({ has: social.page.getByRole('button', { name: /Odnotuj posiedzenie grupy/ }) });
  await social.submit(held.getByRole('button'));
  await social.submit(social.page.getByRole('link', { name: /Zakończ procedurę/ }));
  // The closing page: the statutory reason, its justification, the meeting, the warnings confirmed.
  await social.page.locator('input[name=reason][value=no_grounds]').check();
  await social.page.locator('textarea[name=justification]').fill('Zgłoszenie nie dotyczyło przemocy domowej.');
  const meeting = social.page.locator('select[name=meeting]');
  if (await meeting.count()) await meeting.selectOption({ index: 1 });
  const confirm = social.page.locator('input[name=confirm]');
  if (await confirm.count()) await confirm.check();
  await social.submit('main form button[type=submit]');
  assert.match(await social.text(), /zakończona, monitorowanie/);
});
