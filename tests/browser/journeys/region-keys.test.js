// The region's register of municipal keys (issue 17), on the region demo's data (`ostoja demo --region`): the
// voivodeship's coordinator registers a municipality's public key with the fingerprint read out by phone (an empty
// form and a wrong fingerprint refused beside their fields, the typed values kept), sees the push token once with the
// warning, is refused a second key while the first is in force, revokes the first with a reason (a too-short one
// refused) and then registers the new one. A county's coordinator does not reach the register. Every page under
// axe-core and the reflow check; screenshots docs/screenshots/region-keys.png (1280 px) and region-keys-phone.png
// (390 px).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, createHash } from 'node:crypto';

import { App } from '../lib/app.js';
import { launch, Person, PHONE, DESKTOP } from '../lib/browser.js';
import { screenshot } from '../lib/shots.js';
import { errorsTied } from '../lib/a11y.js';

const DEMO_PASSWORD = 'pokaz-ostoja-2026';
const MUNICIPALITY = '1096011';
const REASON = 'Laptop z kluczem skradziony z urzędu gminy.';

let app;
let browser;
let region;
before(async () => {
  app = await App.start();
  await app.cli('demo', '--region');
  browser = await launch();
  region = await demo('region.regional-coordinator');
}, { timeout: 900_000 });
after(async () => {
  await region?.done();
  await browser?.close();
  await app?.stop();
});

/** A demo account signed in (demo mode: no second factor). */
async function demo(login, viewport = DESKTOP) {
  const p = await Person.open(browser, app, { viewport, name: login });
  await p.goto('/login');
  await p.page.locator('#login').fill(login);
  await p.page.locator('#password').fill(DEMO_PASSWORD);
  await p.submit('form[action="/login"] button[type=submit]');
  return p;
}

/** A municipality's Ed25519 key as its installation shows it: the public key in hex and the fingerprint (SHA-256 of
 * the key) in groups of four, as read out by phone. */
function municipalityKey() {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  const fingerprint = createHash('sha256').update(raw).digest('hex');
  return { hex: raw.toString('hex'), spoken: fingerprint.match(/.{4}/g).join(' '), fingerprint };
}

async function fillRegistration(p, teryt, key, fingerprint) {
  await p.page.locator('#key-teryt').fill(teryt);
  await p.page.locator('#key-key').fill(key);
  await p.page.locator('#key-fingerprint').fill(fingerprint);
}

const first = municipalityKey();
const second = municipalityKey();

test('the coordinator registers a key with the fingerprint read out and sees its push token once', async () => {
  await region.goto('/area');
  await region.submit(region.page.getByRole('link', { name: 'Klucze gmin do podpisanych pakietów' }));
  assert.match(await region.text(), /Zarejestruj klucz gminy/);

  // An empty form: each field says what it needs.
  await region.submit(region.page.getByRole('button', { name: 'Zarejestruj klucz' }));
  const empty = await region.text();
  assert.match(empty, /To pole jest wymagane/);
  assert.match(empty, /Wpisz odcisk klucza, który gmina podała przez telefon/);
  await errorsTied(region.page);

  // A fingerprint read out wrong: refused beside it, the code and the key kept as typed.
  const wrong = '0000' + first.spoken.slice(4);
  await fillRegistration(region, MUNICIPALITY, first.hex, wrong);
  await region.submit(region.page.getByRole('button', { name: 'Zarejestruj klucz' }));
  assert.match(await region.page.locator('#key-fingerprint-error').innerText(), /Odcisk nie zgadza się z kluczem/);
  assert.equal(await region.page.locator('#key-teryt').inputValue(), MUNICIPALITY);
  assert.equal(await region.page.locator('#key-key').inputValue(), first.hex);
  assert.equal(await region.page.locator('#key-fingerprint').inputValue(), wrong);
  await errorsTied(region.page);

  // Right: the token, once, with the warning and how to pass it on.
  await region.page.locator('#key-fingerprint').fill(first.spoken);
  const r = await region.submit(region.page.getByRole('button', { name: 'Zarejestruj klucz' }));
  assert.equal(r.headers()['cache-control'], 'no-store');
  const token = (await region.page.getByTestId('push-token').innerText()).trim();
  assert.match(token, /^ostoja-push-/);
  const said = await region.text();
  assert.match(said, /Ten token widzisz tylko teraz/);
  assert.match(said, /Jak przekazać token gminie/);
  await screenshot(region.page, 'region-keys-token');

  // The register shows the key in force, and never the token again.
  await region.submit(region.page.getByRole('link', { name: 'Wróć do listy kluczy' }));
  const row = await region.page.getByTestId(`key-${MUNICIPALITY}`).innerText();
  assert.match(row, /Gmina Demo-Brzozów/);
  assert.match(row, /ważny/);
  assert.doesNotMatch(await region.text(), new RegExp(token));
});

test('a second key waits until the first is revoked with a reason', async () => {
  await region.goto('/area/keys');
  await fillRegistration(region, MUNICIPALITY, second.hex, second.spoken);
  await region.submit(region.page.getByRole('button', { name: 'Zarejestruj klucz' }));
  assert.match(await region.page.locator('#key-teryt-error').innerText(), /ma już ważny klucz.*najpierw unieważnij stary klucz/s);
  await errorsTied(region.page);

  await region.submit(region.page.getByRole('link', { name: /Unieważnij klucz: Gmina Demo-Brzozów/ }));
  assert.match(await region.text(), /Co się stanie po unieważnieniu/);
  await region.page.locator('#reason').fill('zgubiony');
  await region.submit(region.page.getByRole('button', { name: 'Unieważnij klucz' }));
  assert.equal(await region.page.locator('#reason').inputValue(), 'zgubiony');
  await errorsTied(region.page);
  await region.page.locator('#reason').fill(REASON);
  await region.submit(region.page.getByRole('button', { name: 'Unieważnij klucz' }));
  assert.match(await region.text(), /Zapisano/);

  await fillRegistration(region, MUNICIPALITY, second.hex, second.spoken);
  await region.submit(region.page.getByRole('button', { name: 'Zarejestruj klucz' }));
  assert.match((await region.page.getByTestId('push-token').innerText()).trim(), /^ostoja-push-/);
  await region.goto('/area/keys');
  const text = await region.text();
  assert.match(text, /Zarejestrowane klucze: 2, w tym ważne: 1/);
  assert.match(text, new RegExp(REASON));
  assert.doesNotMatch(text, /regional_coordinator|revoked|in_force|err-/, 'no codes');
  await screenshot(region.page, 'region-keys', { fullPage: true });
});

test('at 390 px the register reflows into cards; a county coordinator does not reach it', async () => {
  const phone = await demo('region.regional-coordinator', PHONE);
  await phone.goto('/area/keys');
  assert.match(await phone.text(), /Zarejestruj klucz gminy/);
  await screenshot(phone.page, 'region-keys-phone', { fullPage: true });
  await phone.done();

  const county = await demo('region.powiat1.county-coordinator');
  await county.refused('/area/keys');
  await county.done();
});
