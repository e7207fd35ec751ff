// The starting point most journeys share: a fresh server, the administrator made through the real first-run page,
// and one municipality created on the administrator's page. A journey file calls `world()` in its `before` hook.
import assert from 'node:assert/strict';

import { App } from './app.js';
import { launch, Person, person, PASSWORD } from './browser.js';

export const TERYT = '1016011';

/** The first-run set-up page, filled in as the administrator does; returns the administrator, logged in. */
export async function firstRun(browser, app, options = {}) {
  const admin = await Person.open(browser, app, { name: 'admin', ...options });
  await admin.goto(app.setupLink);
  await admin.page.locator('#login').fill('admin');
  await admin.page.locator('#full_name').fill('Grażyna Nowak-Żądło');
  await admin.page.locator('#email').fill('admin@ostoja.example.pl');
  await admin.page.locator('#password').fill(PASSWORD);
  await admin.page.locator('#password_confirm').fill(PASSWORD);
  await admin.submit('main form button[type=submit]');
  admin.login = 'admin';
  await admin.enrol();
  return admin;
}

export async function createTenant(admin, teryt = TERYT, name = 'Gmina Ostoja') {
  await admin.goto('/admin/tenants');
  await admin.page.locator('#teryt').fill(teryt);
  await admin.page.locator('#name').fill(name);
  await admin.submit('form[action="/admin/tenants"] button[type=submit]');
  assert.match(await admin.text(), new RegExp(name));
}

export async function world() {
  const app = await App.start();
  const browser = await launch();
  const admin = await firstRun(browser, app);
  await createTenant(admin);
  const people = [admin];
  const w = {
    app,
    browser,
    admin,
    teryt: TERYT,
    /** A new account in the municipality, activated and enrolled in its own browser context. */
    async person(login, roles, options) {
      const p = await person(browser, app, TERYT, login, roles, options);
      people.push(p);
      return p;
    },
    async open(options) {
      const p = await Person.open(browser, app, options);
      people.push(p);
      return p;
    },
    async close() {
      const problems = [];
      for (const p of people) await p.done().catch((e) => problems.push(e));
      await browser.close();
      await app.stop();
      if (problems.length) throw problems[0];
    },
  };
  return w;
}
