// Logging in with the second factor and out again; a wrong code; a session that runs out while a form is being filled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { App } from '../lib/app.js';
import { launch, Person, person } from '../lib/browser.js';
import { firstRun, createTenant, TERYT } from '../lib/world.js';
import { totp, freshCode } from '../lib/totp.js';
import { fill, formA } from '../lib/forms.js';

let app;
let browser;
const people = [];
before(async () => {
  // Sessions end after one idle minute here, so the expiry is the server's own, not a deleted cookie.
  app = await App.start({ OSTOJA_SESSION_IDLE_MINUTES: '1' });
  browser = await launch();
  const admin = await firstRun(browser, app);
  people.push(admin);
  await createTenant(admin);
});
after(async () => {
  for (const p of people) await p.done();
  await browser?.close();
  await app?.stop();
});

test('a group member logs in with password and TOTP code, is refused a wrong code, and logs out', async () => {
  const member = await person(browser, app, TERYT, 'czlonek.grupy', ['group_member']);
  people.push(member);
  await member.logout();
  await member.goto('/');
  assert.match(new URL(member.page.url()).pathname, /^\/login/, 'logged out: the dashboard asks for a login');

  // A code from long ago: refused with a message, the person stays on the second-factor step.
  await member.page.locator('#login').fill(member.login);
  await member.page.locator('#password').fill('bardzo długie hasło 1');
  await member.submit('form[action="/login"] button[type=submit]');
  await member.page.locator('#code').fill(totp(member.secret, 1_000_000_000));
  const r = await member.submit('form[action="/login/second-factor"] button[type=submit]');
  assert.ok(r.status() >= 400 && r.status() < 500, `wrong code: ${r.status()}`);
  assert.match(new URL(member.page.url()).pathname, /^\/login/);
  await member.goto('/login');
  await member.signIn();
  assert.match(await member.text(), /Witaj, czlonek\.grupy/);
  // A group member is not the administrator.
  await member.refused('/admin/tenants');
  await member.goto('/');
  await member.logout();
});

test('a session that ran out while form A was being filled returns to the login page and then to the form', async () => {
  const initiator = await person(browser, app, TERYT, 'dzielnicowy', ['initiator']);
  people.push(initiator);
  await initiator.goto('/procedures/new');
  await fill(initiator.page, { 'affected_persons[0].last_name': "D'Amico-Wróblewska" });
  // The idle minute passes.
  await new Promise((r) => setTimeout(r, 62_000));
  // More typing on the same part of the form (another part would be a post, and so the login already).
  await fill(initiator.page, { 'affected_persons[0].first_name': 'Zofia', 'affected_persons[0].pesel': formA()['affected_persons[0].pesel'] });
  await initiator.submit('main form button[type=submit]:not([name])');
  const url = new URL(initiator.page.url());
  assert.equal(url.pathname, '/login');
  assert.match(await initiator.text(), /sesja wygasła|Sesja wygasła/i, 'the login page says why');
  await initiator.signIn();
  assert.equal(new URL(initiator.page.url()).pathname, '/procedures/new', 'back at the form');
  const kept = await initiator.page.locator('[name="affected_persons[0].last_name"]').inputValue();
  assert.equal(kept, "D'Amico-Wróblewska", 'what was typed before the session ran out is kept');
});

test('a shared office PC: the next account in the same tab gets nothing the first one typed', async () => {
  const first = await person(browser, app, TERYT, 'pierwsza.osoba', ['initiator']);
  people.push(first);
  const second = await person(browser, app, TERYT, 'druga.osoba', ['initiator']);
  people.push(second);
  await second.logout();

  const slot = () => first.page.evaluate(() => sessionStorage.getItem('ostoja-draft:/procedures/new'));
  await first.goto('/procedures/new');
  await fill(first.page, { 'affected_persons[0].last_name': 'Zawadzka-Tajna' });
  for (let i = 0; i < 50 && !(await slot()); i++) await new Promise((r) => setTimeout(r, 100));
  const copy = await slot();
  assert.ok(copy && copy.startsWith('v1:'), `the tab keeps an encrypted copy: ${copy}`);
  assert.ok(!copy.includes('Zawadzka'), 'never the typed text itself');

  // The first person walks away without logging out; the session is gone (expired), the tab is not.
  await first.context.clearCookies();
  await first.goto('/procedures/new');
  assert.equal(new URL(first.page.url()).pathname, '/login');
  await first.page.locator('#login').fill(second.login);
  await first.page.locator('#password').fill('bardzo długie hasło 1');
  await first.submit('form[action="/login"] button[type=submit]');
  await first.page.locator('#code').fill(await freshCode(second.secret));
  await first.submit('form[action="/login/second-factor"] button[type=submit]');
  assert.equal(new URL(first.page.url()).pathname, '/procedures/new');
  // Give the page's script the time a restore would take.
  await new Promise((r) => setTimeout(r, 500));
  const shown = await first.page.locator('[name="affected_persons[0].last_name"]').inputValue();
  assert.equal(shown, '', "the second account does not see the first one's victim");
  assert.ok(!(await slot())?.includes(copy), 'the unreadable copy is dropped');

  // Logging out wipes whatever the tab still holds.
  await fill(first.page, { 'affected_persons[0].last_name': 'Ktokolwiek' });
  for (let i = 0; i < 50 && !(await slot()); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(await slot(), 'a copy exists before the logout');
  await first.logout();
  assert.equal(await slot(), null, 'logout leaves no copy in the tab');
});
