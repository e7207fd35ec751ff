// Issue 16 with the demo's data (`ostoja demo`, what a new user sees first): the day on one screen at 1280×800 for
// the chair, the deputy and a member (counts first, the start checklist at most one line); below 600 px every data
// table is stacked into cards, no word and no case number broken inside; and the README's screenshots taken on the
// demo's data: dashboard, search, case summary, a form A step on a phone, the calendar, the accounts list, the
// programme editor and the public help page in Ukrainian. Every page under axe-core and the reflow check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { App } from '../lib/app.js';
import { launch, Person, PHONE, DESKTOP } from '../lib/browser.js';
import { screenshot } from '../lib/shots.js';

const DEMO_PASSWORD = 'pokaz-ostoja-2026';
const DEMO_TERYT = '1099011';

let app;
let browser;
before(async () => {
  app = await App.start();
  await app.cli('demo');
  browser = await launch();
}, { timeout: 900_000 });
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** A demo account signed in (demo mode: no second factor), at the given window size. */
async function demo(login, viewport = DESKTOP) {
  const p = await Person.open(browser, app, { viewport, name: login });
  await p.goto('/login');
  await p.page.locator('#login').fill(login);
  await p.page.locator('#password').fill(DEMO_PASSWORD);
  await p.submit('form[action="/login"] button[type=submit]');
  assert.equal(new URL(p.page.url()).pathname, '/', `${login} signed in`);
  return p;
}

/** How far down the page's own content reaches (the footer may sit below the fold). */
function contentBottom(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const last = [...main.children].filter((e) => e.getClientRects().length > 0).pop();
    return Math.ceil(last.getBoundingClientRect().bottom + window.scrollY);
  });
}

/** Data tables that are not stacked into cards at this width (the calendar has its own phone layout). */
function unstackedTables(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('main table:not(.calendar-month)')]
      .filter((t) => t.querySelector('tbody td') && getComputedStyle(t.querySelector('tbody td')).display !== 'block')
      .map((t) => t.querySelector('thead')?.innerText.replace(/\s+/g, ' ').slice(0, 60) ?? 'a table'));
}

/** Words of the visible cells split across lines (a hidden header row is 1 px wide on purpose); a word longer than
 * a phone's line, such as an e-mail address, may break. */
function brokenWordsInCards(page) {
  return page.evaluate(() => {
    const broken = [];
    for (const cell of document.querySelectorAll('main td, main tbody th')) {
      if (cell.getBoundingClientRect().width < 40) continue;
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.data.matchAll(/[^\s\-–/]+/g)) {
          if (m[0].length > 24) continue;
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          if (range.getClientRects().length > 1) broken.push(m[0]);
        }
      }
    }
    return broken;
  });
}

/** Case numbers drawn on more than one line. */
function wrappedCaseNumbers(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('main .case-number, main td a')]
      .filter((e) => /^NK\/\d{4}\/\d+$/.test(e.textContent.trim()) && e.getClientRects().length > 1)
      .map((e) => e.textContent.trim()));
}

test("the chair's, the deputy's and a member's day fits one screen at 1280×800", async () => {
  for (const login of ['demo.chair', 'demo.deputy-chair', 'demo.group-member']) {
    const p = await demo(login);
    const bottom = await contentBottom(p.page);
    assert.ok(bottom <= DESKTOP.height, `${login}: the day ends at ${bottom} px, below the 800 px screen`);
    // Counts first: they come before the day's groups.
    const order = await p.page.evaluate(() => {
      const counts = document.querySelector('[data-testid=day-counts]');
      const groups = document.getElementById('day-groups-title');
      return counts && groups ? counts.compareDocumentPosition(groups) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    assert.ok(order, `${login}: the counts come first`);
    // A start checklist, when shown at all, is one line.
    const start = p.page.getByTestId('start-summary');
    if (await start.count()) {
      const lines = await start.evaluate((e) => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)));
      assert.ok(lines <= 2, `${login}: the start checklist takes ${lines} lines`);
    }
    if (login === 'demo.chair') {
      assert.equal(await start.count(), 0, "the demo's team has done its first steps (every member's declaration)");
      await screenshot(p.page, 'dashboard');
      // Each group links to its filtered, paged list.
      const link = p.page.locator('[data-testid=day-folded] a, [data-testid=day-item] a').first();
      if (await link.count()) {
        await p.submit(link);
        assert.match(new URL(p.page.url()).pathname, /^\/(deadlines|procedures\/)/);
      }
    }
    await p.done();
  }
  const phone = await demo('demo.chair', PHONE);
  await screenshot(phone.page, 'dashboard-phone');
  await phone.done();
});

test('below 600 px every data table is stacked into cards, with no word or case number broken', async () => {
  const chair = await demo('demo.chair', PHONE);
  await chair.goto('/procedures');
  const firstCase = await chair.page.locator('main table tbody a').first().getAttribute('href');
  const pages = ['/procedures', '/deadlines', '/timeliness', '/team', '/team/meetings', '/team/accounts', '/directory',
    '/activities', '/programme/indicators', '/programme/statutory', '/notifications', firstCase];
  for (const path of pages) {
    await chair.goto(path);
    assert.deepEqual(await unstackedTables(chair.page), [], `${path}: tables stacked`);
    assert.deepEqual(await brokenWordsInCards(chair.page), [], `${path}: no word split inside`);
    assert.deepEqual(await wrappedCaseNumbers(chair.page), [], `${path}: case numbers on one line`);
  }
  // A case's page on a phone, as the chair opens it from the list (its tables were checked above).
  await chair.goto(firstCase);
  await screenshot(chair.page, 'procedure-phone', { fullPage: false });
  await chair.done();

  const dpo = await demo('demo.data-protection-officer', PHONE);
  for (const path of ['/audit']) {
    await dpo.goto(path);
    assert.deepEqual(await unstackedTables(dpo.page), [], `${path}: tables stacked`);
    assert.deepEqual(await brokenWordsInCards(dpo.page), [], `${path}: no word split inside`);
  }
  await dpo.done();
});

test("the README's screenshots, on the demo's data", async () => {
  const chair = await demo('demo.chair');
  // Search by a surname the demo's people carry.
  await chair.goto('/procedures');
  const surname = 'Nowak';
  await chair.page.locator('main form[action="/procedures/search"] input[name=person]').fill(surname);
  await chair.submit(chair.page.locator('main form[action="/procedures/search"] button[type=submit]'));
  assert.match(await chair.text(), /Wyniki wyszukiwania/);
  assert.ok(await chair.page.locator('main table tbody tr').count() > 0, `the demo has people named ${surname}`);
  await screenshot(chair.page, 'search');
  // A case at a glance: its summary first.
  await chair.goto('/procedures');
  await chair.submit(chair.page.locator('main table tbody a').first());
  await screenshot(chair.page, 'procedure');
  await chair.goto('/team/accounts');
  await screenshot(chair.page, 'accounts');
  await chair.goto('/programme');
  await chair.submit(chair.page.getByRole('link', { name: /Zobacz treść programu/ }).first());
  await chair.submit(chair.page.getByRole('link', { name: /Zmień program/ }).first());
  assert.match(new URL(chair.page.url()).pathname, /^\/programme\/[0-9a-f-]{36}\/amend$/);
  await screenshot(chair.page, 'programme-editor');
  await chair.done();

  const member = await demo('demo.group-member');
  await member.goto('/calendar');
  await screenshot(member.page, 'calendar');
  await member.done();

  const initiator = await demo('demo.initiator', PHONE);
  await initiator.goto('/procedures/new?step=1');
  await screenshot(initiator.page, 'form-a');
  await initiator.done();

  const visitor = await Person.open(browser, app, { viewport: PHONE, name: 'visitor' });
  await visitor.goto(`/pomoc/${DEMO_TERYT}?lang=uk`);
  assert.equal(await visitor.page.locator('html').getAttribute('lang'), 'uk');
  await screenshot(visitor.page, 'public-help-uk');
  await visitor.done();
});
