// The administrator's first start: the one-time set-up link the server prints, the account, the second factor, the
// first municipality. Nobody else reaches the administrator's pages, and the link works once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { App } from '../lib/app.js';
import { launch, person } from '../lib/browser.js';
import { firstRun, createTenant, TERYT } from '../lib/world.js';

let app;
let browser;
const people = [];
before(async () => {
  app = await App.start();
  browser = await launch();
});
after(async () => {
  for (const p of people) await p.done();
  await browser?.close();
  await app?.stop();
});

test('the administrator sets up the installation through the one-time link, with TOTP, and creates the municipality', async () => {
  const admin = await firstRun(browser, app);
  people.push(admin);
  assert.match(await admin.text(), /Witaj, Grażyna Nowak-Żądło/);
  await createTenant(admin);
  await admin.goto(`/admin/tenants/${TERYT}/accounts`);
  assert.match(await admin.text(), /Nowe konto/);

  // The link is spent.
  const again = await admin.goto(app.setupLink);
  assert.ok(again.status() >= 400, `set-up link reused: ${again.status()}`);

  // A chair of the municipality does not reach the administrator's pages.
  const chair = await person(browser, app, TERYT, 'przewodniczaca', ['chair'], { fullName: "Maria O'Neill-Żak" });
  people.push(chair);
  await chair.refused('/admin/tenants');
  await chair.refused(`/admin/tenants/${TERYT}/accounts`);
});
