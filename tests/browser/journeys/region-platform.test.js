// The regional cooperation platform (issue 17 item 7; seed 004). The voivodeship's coordinator publishes an
// announcement (one too long refused beside its field, the text kept), adds a member to the regional group, plans a
// remote meeting and adds a document of good practice; the municipality's chair sees the announcement on the home
// page, dismisses it, reads the library, raises a difficulty and reads the region's answer; the chair edits nothing.
// Every page under axe-core at 1280 px, the library at 390 px. Screenshot docs/screenshots/region-platform.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { polishDay } from '../lib/forms.js';

import { world, createTenant } from '../lib/world.js';
import { PHONE, person } from '../lib/browser.js';
import { screenshot } from '../lib/shots.js';
import { errorsTied } from '../lib/a11y.js';

let w;
let region;
let chair;
const today = polishDay(0);
const inDays = (n) => polishDay(n);
const ANNOUNCEMENT = 'Spotkanie grupy regionalnej o sprawozdawczości: zapraszamy zespoły.';

before(async () => {
  w = await world();
  await createTenant(w.admin, '10', 'Województwo łódzkie');
  region = await person(w.browser, w.app, '10', 'koordynator.regionalny', ['regional_coordinator'], { fullName: 'Joanna Wojewódzka' });
  chair = await w.person('przewodniczaca', ['chair'], { fullName: 'Maria Żak' });
});
after(async () => {
  await region?.done();
  await w?.close();
});

test('the region publishes an announcement and fills the platform', async () => {
  await region.goto('/');
  await region.submit(region.page.getByRole('link', { name: 'Platforma regionalna' }));
  assert.match(await region.text(), /Regionalna platforma współpracy — Województwo łódzkie/);
  assert.match(await region.text(), /Na platformie nie ma danych ze spraw/);

  const long = 'Bardzo długi komunikat '.repeat(8);
  await region.page.locator('#text').fill(long);
  await region.page.locator('#expires_on').fill(inDays(14));
  await region.submit(region.page.getByRole('button', { name: 'Opublikuj komunikat' }));
  assert.match(await region.text(), /Komunikat ma najwyżej 160 znaków/);
  // What was typed comes back exactly as typed, beside the message.
  assert.equal(await region.page.locator('#text').inputValue(), long);
  await errorsTied(region.page);
  await region.page.locator('#text').fill(ANNOUNCEMENT);
  await region.submit(region.page.getByRole('button', { name: 'Opublikuj komunikat' }));
  assert.match(await region.page.getByTestId('region-announcements').innerText(), /sprawozdawczości/);

  await region.goto('/region/group');
  await region.page.locator('#full_name').fill('Alicja Wrzosek');
  await region.page.locator('#function').fill('koordynatorka powiatowa');
  await region.page.locator('#institution').fill('PCPR w Tomaszowie Mazowieckim');
  await region.page.locator('#joined_on').fill(today);
  await region.submit(region.page.getByRole('button', { name: 'Zapisz' }));
  assert.match(await region.page.getByTestId('region-group').innerText(), /Alicja Wrzosek/);

  await region.goto('/region/meetings');
  await region.page.locator('#topic').fill('Współpraca z sądem rodzinnym');
  await region.page.locator('#held_on').fill(inDays(10));
  await region.page.getByLabel('zdalnie').check();
  await region.submit(region.page.getByRole('button', { name: 'Zapisz' }));
  assert.match(await region.text(), /Spotkanie zdalne wymaga linku/);
  await errorsTied(region.page);
  assert.equal(await region.page.locator('#topic').inputValue(), 'Współpraca z sądem rodzinnym');
  await region.page.locator('#remote_link').fill('https://spotkanie.example.org/grupa');
  await region.submit(region.page.getByRole('button', { name: 'Zapisz' }));
  assert.match(await region.text(), /zaplanowane/);

  await region.goto('/region/library');
  await region.page.locator('#title').fill('Wspólny wzór pisma do sądu');
  await region.page.locator('#summary').fill('Wzór uzgodniony przez grupę regionalną.');
  await region.page.locator('#tags').fill('sąd, pisma');
  await region.page.locator('#year').fill(String(new Date().getFullYear()));
  await region.submit(region.page.getByRole('button', { name: 'Zapisz' }));
  assert.match(await region.page.getByTestId('region-library').innerText(), /Wspólny wzór pisma do sądu/);
});

test("the chair sees the announcement at home, dismisses it, raises a difficulty and reads the region's answer", async () => {
  await chair.goto('/');
  assert.match(await chair.page.getByTestId('home-announcements').innerText(), /sprawozdawczości/);
  await chair.submit(chair.page.getByRole('button', { name: /Ukryj/ }));
  assert.equal(await chair.page.getByTestId('home-announcements').count(), 0);

  await chair.goto('/region/library');
  assert.match(await chair.text(), /Wspólny wzór pisma do sądu/);
  assert.equal(await chair.page.locator('form[method="post"][action="/region/library"]').count(), 0, 'the chair does not edit');
  assert.equal(await chair.page.getByRole('link', { name: 'Grupa regionalna' }).count(), 0);

  await chair.goto('/region/difficulties');
  await chair.page.locator('#title').fill('Brak psychologa dziecięcego');
  await chair.page.locator('#description').fill('Dzieci czekają na konsultację ponad dwa miesiące.');
  await chair.page.locator('#raised_on').fill(inDays(1));
  await chair.submit(chair.page.getByRole('button', { name: 'Zgłoś' }));
  assert.match(await chair.text(), /Data nie może być późniejsza niż dzisiejsza/);
  await errorsTied(chair.page);
  assert.equal(await chair.page.locator('#description').inputValue(), 'Dzieci czekają na konsultację ponad dwa miesiące.');
  await chair.page.locator('#raised_on').fill(today);
  await chair.submit(chair.page.getByRole('button', { name: 'Zgłoś' }));
  const page = new URL(chair.page.url()).pathname;
  assert.match(await chair.text(), /Województwo jeszcze nie odpowiedziało/);

  await region.goto(page);
  await region.page.locator('#status').selectOption('solved');
  await region.submit(region.page.getByRole('button', { name: 'Zapisz' }));
  assert.match(await region.text(), /Podaj wypracowane rozwiązanie/);
  await errorsTied(region.page);
  await region.page.locator('#solution').fill('Porozumienie z poradnią psychologiczną w powiecie.');
  await region.page.locator('#solution_on').fill(today);
  await region.submit(region.page.getByRole('button', { name: 'Zapisz' }));
  await region.goto('/region/difficulties');
  await screenshot(region.page, 'region-platform', { fullPage: true });

  await chair.goto(page);
  assert.match(await chair.page.getByTestId('region-solution').innerText(), /Porozumienie z poradnią/);
  assert.match(await chair.page.getByTestId('region-difficulty-status').innerText(), /rozwiązanie wypracowane/);
  assert.doesNotMatch(await chair.text(), /solved|in_progress/, 'no codes');
});

test('at 390 px on a phone the platform reflows', async () => {
  const phone = await w.open({ viewport: PHONE, name: 'region-phone' });
  phone.login = chair.login;
  phone.secret = chair.secret;
  await phone.goto('/login');
  await phone.signIn();
  await phone.goto('/region/library');
  assert.match(await phone.text(), /Wspólny wzór pisma do sądu/);
  await phone.goto('/region/difficulties');
  assert.match(await phone.text(), /Brak psychologa dziecięcego/);
});
