// Issue 16, item 5: the team's accounts in the browser. The chair sees every account with its roles, last login and
// state; a deactivation asks first (cancelled, nothing happens; confirmed, "Zapisano" with the row in view); a reset
// of the second factor asks first and hands out the one-time link; every button on the page can be seen (its text
// differs from what is behind it). The home page greets the chair by name. At 1280 and 390 px, under axe-core;
// the README's screenshot of the accounts is daily-demo.test.js's, on the demo's data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { world } from '../lib/world.js';
import { PHONE, DESKTOP } from '../lib/browser.js';

let w;
before(async () => {
  w = await world();
});
after(async () => {
  await w?.close();
});

/** Buttons in the page's content whose text colour equals the colour behind them (white on white). */
async function invisibleButtons(page) {
  return page.evaluate(() => {
    const behind = (e) => {
      for (let n = e; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
      }
      return 'rgb(255, 255, 255)';
    };
    return [...document.querySelectorAll('main button, main summary')]
      .filter((b) => b.getClientRects().length > 0 && getComputedStyle(b).color === behind(b))
      .map((b) => b.textContent.trim());
  });
}

/** Whether the element is inside the window. */
async function inView(locator) {
  return locator.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.top < window.innerHeight;
  });
}

test('the chair manages the accounts: last login, a confirmation before a removal, "Zapisano" at the row', async () => {
  const chair = await w.person('przewodniczaca', ['chair'], { fullName: 'Maria Nowak' });
  const secretary = await w.person('sekretarz', ['secretary'], { fullName: 'Jan Wiśniewski' });
  await w.person('czlonek.grupy', ['group_member'], { fullName: 'Ewa Zielińska' });
  for (let i = 1; i <= 12; i++) await w.app.addAccount(w.teryt, `inicjator.${i}`, ['initiator'], `Osoba Zgłaszająca ${i}`);

  await chair.goto('/');
  assert.match(await chair.text(), /Witaj, Maria Nowak\./, 'the greeting names the person');

  await chair.goto('/team/accounts');
  const text = await chair.text();
  assert.match(text, /Ostatnie logowanie/);
  assert.match(await chair.page.getByTestId('last-login-sekretarz').innerText(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  assert.match(await chair.page.getByTestId('last-login-inicjator.1').innerText(), /jeszcze nie logowano/);
  assert.deepEqual(await invisibleButtons(chair.page), [], 'every button can be seen');

  // Deactivation asks first; cancelling changes nothing.
  await chair.submit(chair.page.getByTestId('deactivate-sekretarz'));
  assert.match(await chair.page.getByTestId('confirm-question').innerText(), /Dezaktywować konto: Jan Wiśniewski \(sekretarz\)\?/);
  await chair.submit(chair.page.getByTestId('confirm-cancel'));
  assert.match(new URL(chair.page.url()).pathname, /^\/team\/accounts$/);
  assert.equal(await chair.page.getByTestId('deactivate-sekretarz').count(), 1, 'still active');

  // Confirmed: "Zapisano", the row in view and marked inactive.
  await chair.submit(chair.page.getByTestId('deactivate-sekretarz'));
  await chair.submit(chair.page.getByTestId('confirm'));
  const notice = chair.page.getByTestId('notice');
  assert.equal((await notice.innerText()).trim(), 'Zapisano.');
  assert.ok(await inView(notice), '"Zapisano" is in view');
  const row = chair.page.locator(new URL(chair.page.url()).hash);
  assert.match(await row.innerText(), /sekretarz/);
  assert.match(await row.innerText(), /nieaktywne/);
  assert.ok(await inView(row), 'the saved row is in view');
  await secretary.goto('/');
  assert.match(new URL(secretary.page.url()).pathname, /^\/login/, "the secretary's session ended");

  // A reset of the second factor asks first, then hands out the one-time link.
  await chair.submit(chair.page.getByTestId('reset-second-factor-czlonek.grupy'));
  assert.match(await chair.page.getByTestId('confirm-question').innerText(), /Ewa Zielińska \(czlonek\.grupy\)/);
  await chair.submit(chair.page.getByTestId('confirm'));
  assert.match(await chair.page.getByTestId('activation-link').innerText(), /\/activate\//);

  // On a phone: the same list as cards, every button visible, under axe-core (goto checks it).
  await chair.page.setViewportSize(PHONE);
  await chair.goto('/team/accounts');
  assert.deepEqual(await invisibleButtons(chair.page), [], 'every button can be seen on a phone');
  await chair.page.setViewportSize(DESKTOP);
});
