// An initiator (a police officer at the scene) fills form A on a phone: what people really type, the errors beside
// the fields with everything kept, a double-click on submit, the back button; then the whole form by keyboard alone.
// Another role does not reach the form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { PHONE } from '../lib/browser.js';
import { world } from '../lib/world.js';
import { fill, paste, formA, wrongPesel } from '../lib/forms.js';
import { screenshot } from '../lib/shots.js';

let w;
before(async () => {
  w = await world();
});
after(async () => w?.close());

const SUBMIT = 'main form button[type=submit]:not([name])';
const PASTED = 'Krzyczał:\t„wynoś się”\t😡 — sąsiadka z 3 piętra słyszała.\n\tPotem trzasnął drzwiami 🚪.';

test('an initiator fills form A on a phone, fixes what the server refused, and submits once', async () => {
  const officer = await w.person('dzielnicowy', ['initiator'], { viewport: PHONE, fullName: 'Piotr Wiśniewski' });
  const page = officer.page;
  await officer.goto('/procedures/new');
  const typed = formA({
    'suspected_persons[0].pesel': wrongPesel('8301050571'),
    'affected_persons[0].birth_date': '31.02.2025',
  });
  await fill(page, typed);
  await paste(page, 'violence.description', PASTED);
  const refused = await officer.submit(SUBMIT);
  assert.equal(refused.status(), 422);
  // The form opens on the first part with an error, the error summary at the top has the focus, and each error is a
  // link to its field (a button that goes to its part, for an error on another part).
  assert.match(await page.locator('[data-testid=step-progress]').textContent(), /Krok 1 z 14/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'error-summary', 'focus moved to the error summary');
  const summary = page.locator('[data-testid=error-summary]');
  assert.match(await summary.textContent(), /Popraw następujące błędy/);
  assert.match(await page.locator('#affected_persons-0-birth_date-error').textContent(), /Taki dzień nie istnieje/, 'the impossible date is refused as such, beside its field');
  await summary.locator('a[href="#affected_persons-0-birth_date"]').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'affected_persons-0-birth_date', 'the link focuses its field');
  assert.match(await page.locator('.step-list').textContent(), /do poprawy: 1/, 'part II is marked');
  await screenshot(page, 'form-a-errors', { fullPage: false });
  await officer.submit(summary.locator('button', { hasText: 'Numer PESEL' }));
  assert.match(await page.locator('[data-testid=step-progress]').textContent(), /Krok 2 z 14/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'suspected_persons-0-pesel', 'the field on the other part has the focus');
  const pesel = page.locator('#suspected_persons-0-pesel-error');
  assert.match(await pesel.textContent(), /Cyfra kontrolna numeru PESEL się nie zgadza/);
  assert.equal(await page.locator('#suspected_persons-0-pesel').getAttribute('aria-describedby'), 'suspected_persons-0-pesel-error');
  await officer.check();
  for (const name of ['suspected_persons[0].pesel', 'affected_persons[0].birth_date', 'affected_persons[0].last_name', 'suspected_persons[0].first_name']) {
    assert.equal(await page.locator(`[name="${name}"]`).inputValue(), typed[name], `${name} kept`);
  }
  assert.equal(await page.locator('[name="violence.description"]').inputValue(), PASTED, 'pasted text kept, tabs and emoji too');

  await fill(page, { 'suspected_persons[0].pesel': formA()['suspected_persons[0].pesel'], 'affected_persons[0].birth_date': '12.03.1985' });
  // Impatient: two clicks in a row on the submit button.
  // The first click's navigation is cut off by the second's, so wait for where the browser ends up.
  await page.locator(SUBMIT).dblclick();
  for (let i = 0; i < 300 && !/\/procedures\/forwarded$/.test(page.url()); i++) await new Promise((r) => setTimeout(r, 100));
  await page.waitForLoadState('load');
  const errors = await page.locator('.error, .error-summary').allTextContents();
  assert.match(page.url(), /\/procedures\/forwarded$/, `not told the form went to the team: ${page.url()} ${errors.join('; ')}`);
  await officer.check();
  assert.match(await officer.text(), /Formularz przekazano zespołowi\./);

  // The back button: the entry before is the page the refused post rendered; Chromium does not post it again
  // (pages are no-store, so it offers to resend instead), and the procedure is there once.
  const back = await page.goBack().catch((e) => e);
  assert.ok(back instanceof Error ? /ERR_CACHE_MISS/.test(back.message) : new URL(page.url()).pathname === '/procedures/new', String(back));
  // Chromium then shows its own "confirm form resubmission" page; let it settle before going on.
  for (let i = 0; i < 50 && back instanceof Error && !page.url().startsWith('chrome-error:'); i++) await new Promise((r) => setTimeout(r, 100));
  await page.waitForLoadState('load');
  await officer.goto('/procedures');
  const rows = await page.locator('main table tbody tr').count();
  assert.equal(rows, 1, 'one procedure, not two');
  // The officer's own form A, in the case it opened.
  await officer.submit(page.locator('main table tbody tr a').first());
  const procedure = page.url();
  const text = await officer.text();
  assert.match(text, /Procedura NK\/\d{4}\/0001/);
  assert.match(text, /D'Amico-Wróblewska/);
  assert.match(text, /Krzyczał:\s+„wynoś się”\s+😡/);
  w.procedure = procedure;
});

test('on a phone, form A ends with every answer by part; "Zmień" goes back to that part, and it is sent from the check', async () => {
  const officer = await w.person('posterunkowy', ['initiator'], { viewport: PHONE, fullName: 'Jan Posterunkowy' });
  const page = officer.page;
  await officer.goto('/procedures/new');
  await fill(page, formA({ 'suspected_persons[0].last_name': 'Nowicki' }));
  // To the last part, then "Dalej: Sprawdź odpowiedzi" (axe and reflow run on every page loaded).
  await page.locator('.step-list').evaluate((d) => { d.open = true; });
  // Filling may already end on the last part (then it is the current step, not a button).
  const last = page.locator('.step-list button[name=goto][data-sections~="filled_by"]');
  if ((await last.count()) > 0) await officer.submit(last);
  const next = page.locator('[data-testid=step-next]');
  assert.match(await next.textContent(), /Dalej: Sprawdź odpowiedzi/);
  await officer.submit(next);
  const review = page.locator('[data-testid=review]');
  assert.match(await page.locator('[data-testid=step-progress]').textContent(), /Sprawdź odpowiedzi/);
  assert.match(await review.textContent(), /D'Amico-Wróblewska/);
  assert.match(await review.textContent(), /przemoc fizyczna, przemoc psychiczna/, 'choices in words');
  assert.equal(await review.locator('button[name=goto]').count(), 14, 'every part has its "Zmień"');
  assert.equal(await page.locator('main input:not([type=hidden]), main select, main textarea').count(), 0, 'nothing to type on the check');
  await screenshot(page, 'form-a-check-answers', { fullPage: false });
  await screenshot(page, 'form-a-check-answers-full', { fullPage: true });

  // "Zmień" on part II: that part, its answers in their fields; corrected, and back to the check.
  await officer.submit(page.locator('[data-testid=review-change-1]'));
  assert.match(await page.locator('[data-testid=step-progress]').textContent(), /Krok 2 z 14/);
  assert.equal(await page.locator('[name="suspected_persons[0].last_name"]').inputValue(), 'Nowicki');
  await fill(page, { 'suspected_persons[0].last_name': 'Nowicki-Kos' });
  await page.locator('.step-list').evaluate((d) => { d.open = true; });
  await officer.submit(page.locator('.step-list button[name=goto]').last());
  assert.match(await page.locator('[data-testid=review]').textContent(), /Nowicki-Kos/, 'the correction is on the check');

  // Sent from the check: the main button.
  const sent = await officer.submit(SUBMIT);
  assert.equal(sent.status(), 200);
  assert.match(page.url(), /\/procedures\/forwarded$/);
  assert.match(await officer.text(), /Formularz przekazano zespołowi\./);
});

test('form A by keyboard alone, part by part: Tab, Shift+Tab, Space, Enter and typing, with the focus always visible', async () => {
  const teacher = await w.person('nauczycielka', ['initiator'], { viewport: PHONE });
  const page = teacher.page;
  await teacher.goto('/procedures/new');
  const data = formA({
    'affected_persons[0].pesel': '',
    'suspected_persons[0].pesel': '',
    'affected_persons[0].first_name': 'Ewa',
    'affected_persons[0].last_name': 'Nowak',
    'suspected_persons[0].last_name': 'Nowak',
    'filled_by.category': 'teacher',
  });
  // The page offers the current time as the filling time; the keyboard walk leaves it.
  delete data['header.filled_at'];
  const selectLabels = {};
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string' && (await page.locator(`select[name="${name}"]`).count())) {
      selectLabels[name] = (await page.locator(`select[name="${name}"] option[value="${value}"]`).textContent()).trim();
    }
  }
  await page.keyboard.press('Tab');
  // The skip link comes first and is visible when focused.
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  let submitted = false;
  const trail = [];
  for (let i = 0; i < 2500 && !submitted; i++) {
    const el = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      return { tag: e.tagName.toLowerCase(), type: e.type, name: e.name, testid: e.dataset?.testid, form: e.form?.getAttribute('action'), value: e.value, text: e.textContent.trim(), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, style: [s.outlineStyle, s.outlineWidth, e.matches(':focus'), e.matches(':focus-within'), e.matches(':focus-visible'), e.value, e.shadowRoot?.activeElement?.tagName].join(' ') };
    });
    trail.push(`${el.tag}:${el.name ?? ''}:${el.type ?? ''}`);
    if (el.tag !== 'body') assert.ok(el.outline, `focus not visible on ${el.tag} ${el.name}: ${el.style}`);
    const want = data[el.name];
    if (el.tag === 'input' && el.type === 'checkbox' && Array.isArray(want) && want.includes(el.value)) await page.keyboard.press('Space');
    // Type-ahead picks the option; only up to the first space, as Space opens the list.
    else if (el.tag === 'select' && typeof want === 'string' && want && el.value !== want) {
      // The selects of later parts are on their own pages: their labels are read there.
      selectLabels[el.name] ??= (await page.locator(`select[name="${el.name}"] option[value="${want}"]`).textContent()).trim();
      await page.keyboard.type(selectLabels[el.name].split(' ')[0]);
    }
    else if ((el.tag === 'input' || el.tag === 'textarea') && typeof want === 'string' && want && el.type !== 'checkbox' && !el.value) await page.keyboard.type(want);
    else if (el.tag === 'button' && el.testid === 'step-next') {
      // "Dalej": the next part of the form, by Enter; the walk goes on from the top of the new page.
      await teacher.navigates(() => page.keyboard.press('Enter'));
      continue;
    } else if (el.tag === 'button' && el.type === 'submit' && !el.name && el.form === '/procedures/new') {
      // Shift+Tab goes back to the field before, Tab returns.
      await page.keyboard.press('Shift+Tab');
      assert.ok(await page.evaluate(() => !document.activeElement.matches('button[type=submit]:not([name])')), 'Shift+Tab left the send button');
      await page.keyboard.press('Tab');
      const response = await teacher.navigates(() => page.keyboard.press('Enter'));
      submitted = response.status();
      break;
    }
    await page.keyboard.press('Tab');
  }
  assert.ok(submitted, `the submit button was reached by Tab: ${trail.slice(-30).join(' ')}`);
  assert.equal(submitted, 200, `posted and told the form went to the team: ${submitted === 200 ? '' : (await page.locator('[data-testid=error-summary]').allTextContents()).join(' ')}`);
  await teacher.forwardedToTeam();
  const text = await teacher.text();
  assert.match(text, /Ewa/);
  assert.match(text, /przemoc fizyczna/);
  assert.match(text, /nauczyciel wychowawca/);
});

test('Enter in a field of form A saves the draft with what was typed; it adds no person and submits nothing', async () => {
  const nurse = await w.person('pielegniarka', ['initiator'], { viewport: PHONE });
  const page = nurse.page;
  await nurse.goto('/procedures/new');
  await fill(page, { 'affected_persons[0].first_name': 'Zofia', 'affected_persons[0].last_name': 'Żak' });
  await page.locator('[name="affected_persons[0].last_name"]').focus();
  const response = await nurse.navigates(() => page.keyboard.press('Enter'));
  assert.equal(response.status(), 200);
  assert.match(await page.locator('.draft-status').textContent(), /Szkic zapisany o \d\d:\d\d/);
  assert.equal(await page.locator('[name="affected_persons[0].last_name"]').inputValue(), 'Żak', 'what was typed is kept');
  assert.equal(await page.locator('[name="affected_persons[1].first_name"]').count(), 0, 'no second person was added');
  await nurse.goto('/procedures');
  assert.equal(await page.locator('main table tbody tr').count(), 0, 'no procedure was opened');
});

test('roles that do not initiate the procedure do not reach form A', async () => {
  const dpo = await w.person('iod', ['data_protection_officer']);
  await dpo.refused('/procedures/new');
  await w.admin.refused('/procedures/new');
});
