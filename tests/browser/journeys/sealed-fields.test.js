// Issue 20, sealed fields: the person experiencing violence gave a new address; the chair seals it on the procedure
// page (refused first without a reason, beside the field). The police officer in the group never sees the address on
// the page nor in the form's PDF; the social worker, named by default, does; the case file for a court prints
// „zastrzeżone” for everyone; the copy released to the suspected person's lawyer carries neither the address nor the
// victim's PESEL, and says on every page for whom it was made; the package handed to another municipality does not
// carry it either (the receiving team imports it and does not see it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { world, createTenant } from '../lib/world.js';
import { person } from '../lib/browser.js';
import { fill, formA } from '../lib/forms.js';
import { errorsTied } from '../lib/a11y.js';

const ADDRESS = 'ul. Ukryta 7, 31-000 Kraków';
let w;
let chair;
let social;
let police;
let caseUrl;
before(async () => {
  w = await world();
  const initiator = await w.person('dzielnicowy', ['initiator']);
  chair = await w.person('przewodniczaca', ['chair']);
  social = await w.person('pracownik.socjalny', ['group_member']);
  police = await w.person('policjant.gdp', ['group_member']);
  await initiator.goto('/procedures/new');
  await fill(initiator.page, formA({ 'affected_persons[0].residence_address': ADDRESS }));
  await initiator.submit('main form button[type=submit]:not([name])');
  caseUrl = await initiator.forwardedToTeam();
  await initiator.done();
  await chair.goto(caseUrl);
  await chair.field('pracownik.socjalny').selectOption('social_worker');
  await chair.field('policjant.gdp').selectOption('police_officer');
  await chair.page.locator('#basis').selectOption('chair_under_delegation');
  await chair.submit(chair.page.getByRole('button', { name: /Powołaj/ }));
});
after(async () => w?.close());

/** The text of the PDF at `path` as `who` downloads it, read by poppler's pdftotext. */
async function pdfText(who, path) {
  const r = await who.page.request.get(w.app.url(path));
  assert.equal(r.status(), 200, path);
  const file = join(mkdtempSync(join(tmpdir(), 'ostoja-pdf-')), 'doc.pdf');
  writeFileSync(file, await r.body());
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-nodiag', file, '-']).toString('utf8');
}

test('the chair seals the new address, with a reason, refused first beside the field', async () => {
  await chair.goto(caseUrl);
  assert.match(await chair.text(), /Dane zastrzeżone/);
  await chair.page.locator('#seal-person').selectOption({ index: 1 });
  await chair.page.locator('#seal-kind').selectOption('address');
  const refused = await chair.submit(chair.page.getByRole('button', { name: 'Zastrzeż', exact: true }));
  assert.equal(refused.status(), 422);
  assert.match(await chair.page.locator('#seal-reason-error').innerText(), /podaj powód/);
  await errorsTied(chair.page);
  assert.equal(await chair.page.locator('#seal-kind').inputValue(), 'address', 'the choice is kept');
  await chair.page.locator('#seal-reason').fill('Osoba uciekła przed sprawcą; nowy adres zna tylko MOPS.');
  await chair.submit(chair.page.getByRole('button', { name: 'Zastrzeż', exact: true }));
  assert.equal(new URL(chair.page.url()).pathname, caseUrl);
  assert.doesNotMatch(await chair.text(), /Ukryta/, 'the chair is not named: zastrzeżone');
});

test('the police officer never sees it on the page nor in the PDF; the social worker does', async () => {
  await police.goto(caseUrl);
  const text = await police.text();
  assert.doesNotMatch(text, /Ukryta/);
  assert.match(text, /zastrzeżone/);
  const formLink = await police.page.locator(`a[href^="${caseUrl}/documents/forms/"]`).first().getAttribute('href');
  const pdf = await pdfText(police, formLink);
  assert.doesNotMatch(pdf, /Ukryta/);
  assert.match(pdf, /zastrzeżone/);

  await social.goto(caseUrl);
  assert.match(await social.text(), /Ukryta 7/);
  assert.match(await pdfText(social, formLink), /Ukryta/);
  const caseFile = await pdfText(social, `${caseUrl}/documents/case-file.pdf`);
  assert.doesNotMatch(caseFile, /Ukryta/, 'the case file for a court withholds it from everyone');
  for (const p of [police, social]) await p.done();
});

test("the suspected person's copy carries neither the sealed address nor the victim's PESEL, and names its recipient", async () => {
  await chair.goto(`${caseUrl}/release`);
  const page = chair.page;
  await page.locator('#recipient').fill('mec. Adam Obrońca, pełnomocnik osoby stosującej przemoc');
  await page.locator('#purpose').fill('wniosek o wgląd z art. 9c ust. 5');
  await page.locator('#requester').selectOption('suspected_person');
  await page.locator('#basis').selectOption('act_9c_5_suspected');
  await page.locator('#requested_on').fill(await page.locator('#requested_on').getAttribute('max'));
  for (const box of await page.locator('input[name=documents]').all()) await box.check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /Udostępnij|Przygotuj|Wydaj/ }).click(),
  ]);
  const file = join(mkdtempSync(join(tmpdir(), 'ostoja-copy-')), 'copy.pdf');
  await download.saveAs(file);
  const copy = execFileSync('pdftotext', ['-enc', 'UTF-8', '-nodiag', file, '-']).toString('utf8');
  assert.match(copy, /Żółkiewski/, 'a real copy of the case (names are not withheld)');
  assert.doesNotMatch(copy, /Ukryta/, 'never the sealed address');
  assert.match(copy, /utajniono|zastrzeżone/, 'withheld values say so');
  const victimPesel = formA({})['affected_persons[0].pesel'];
  // A PESEL is printed in 11 boxes, one digit each: compare without the spaces between them.
  assert.ok(victimPesel && !copy.replace(/\s+/g, '').includes(victimPesel), "never the victim's PESEL");
  const pages = Number(execFileSync('pdfinfo', [file]).toString('utf8').match(/Pages:\s+(\d+)/)[1]);
  assert.equal((copy.match(/Obrońca/g) || []).length >= pages, true, 'the recipient on every page');
});

test('the transfer package to another municipality does not carry it unless the chair includes it', async () => {
  await chair.goto(caseUrl);
  await chair.page.locator('#transfer-to').fill('Gmina Druga');
  await chair.submit(chair.page.getByRole('button', { name: /Przygotuj|Przekaż|Eksport/ }));
  const passphrase = (await chair.page.getByTestId('transfer-passphrase').innerText()).trim();
  const link = await chair.page.getByTestId('transfer-download').getAttribute('href');
  const r = await chair.page.request.get(w.app.url(link));
  assert.equal(r.status(), 200);
  const file = join(mkdtempSync(join(tmpdir(), 'ostoja-transfer-')), 'sprawa.ostoja');
  writeFileSync(file, await r.body());
  await chair.done();

  // The receiving team opens the package with its passphrase: the case is there, the sealed address is not.
  await createTenant(w.admin, '1016022', 'Gmina Druga');
  const other = await person(w.browser, w.app, '1016022', 'przewodniczacy.druga', ['chair']);
  await other.goto('/procedures/import');
  await other.page.locator('#package').setInputFiles(file);
  await other.page.locator('#passphrase').fill(passphrase);
  await other.submit('main form button[type=submit]');
  const received = await other.page.getByTestId('received-documentation').innerText();
  assert.match(received, /Zofia/, 'the received documentation names the person');
  assert.doesNotMatch(await other.text(), /Ukryta/, 'never the sealed address');
  await other.done();
});
