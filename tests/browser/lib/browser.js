// Debian's Chromium, headless, driven through playwright-core; one browser per test file, one context per person.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

import { axe, reflow } from './a11y.js';
import { freshCode } from './totp.js';

export const PASSWORD = 'bardzo długie hasło 1';
export const CHROMIUM = process.env.OSTOJA_CHROMIUM ?? '/usr/bin/chromium';

/** Chromium with the flags the issue names; playwright gives each launch a fresh temporary user-data-dir. */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/**
 * One person at one browser: a context of their own (cookies), one page. Every page they load is checked with axe and
 * for reflow (`audit`), unless the context runs without JavaScript (axe needs it; those pages are audited elsewhere);
 * `done()` fails the test if a loaded page escaped the audit.
 */
export class Person {
  static async open(browser, app, { viewport = DESKTOP, javaScriptEnabled = true, audit = true, name = 'person' } = {}) {
    const context = await browser.newContext({ viewport, javaScriptEnabled, locale: 'pl-PL', timezoneId: 'Europe/Warsaw' });
    const page = await context.newPage();
    const p = new Person();
    Object.assign(p, { browser, app, context, page, name, audit: audit && javaScriptEnabled, loaded: [], audited: new Set() });
    page.on('load', () => p.loaded.push(page.url()));
    return p;
  }

  async check() {
    if (!this.audit) return;
    await this.page.waitForLoadState('load');
    await axe(this.page);
    await reflow(this.page);
    this.audited.add(this.page.url());
  }

  /** Opens `path`, checks the page; returns the HTTP response. */
  async goto(path) {
    const r = await this.page.goto(path.startsWith('http') ? path : this.app.url(path));
    await this.check();
    return r;
  }

  /** Clicks what submits a form (or follows a link) and waits for the page it leads to; returns its response. */
  async submit(target) {
    const locator = typeof target === 'string' ? this.page.locator(target) : target;
    return this.navigates(() => locator.click());
  }

  /** Runs `action`, waits for the page it loads, checks it; returns its response. */
  async navigates(action) {
    const [response] = await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), action()]);
    await this.check();
    return response;
  }

  /** After a form A by someone outside the team's staff, the page says only that the form went to the team (the same
   * whether its people matched a running case); the case it opened is then the newest in their list. Opens it and
   * returns its path. */
  async forwardedToTeam() {
    assert.equal(new URL(this.page.url()).pathname, '/procedures/forwarded');
    const said = await this.text();
    assert.match(said, /Formularz przekazano zespołowi\./);
    assert.doesNotMatch(said, /NK\/\d{4}\//, 'no case number');
    await this.goto('/procedures');
    await this.submit(this.page.locator('main table tbody tr a').first());
    const path = new URL(this.page.url()).pathname;
    assert.match(path, /^\/procedures\/[0-9a-f-]{36}$/);
    return path;
  }

  field(label) {
    return this.page.getByLabel(label, { exact: true });
  }

  /** Sets the password through an activation (or set-up) page already filled in, then enrols the second factor. */
  async enrol() {
    assert.match(this.page.url(), /\/enrol$/);
    const secret = (await this.page.getByTestId('totp-secret').textContent()).replace(/\s/g, '');
    await this.page.locator('#code').fill(await freshCode(secret));
    const r = await this.submit('form[action="/enrol"] button[type=submit]');
    assert.equal(new URL(this.page.url()).pathname, '/', `after enrolment: ${this.page.url()} (${r.status()})`);
    this.secret = secret;
    return secret;
  }

  /** Opens a one-time activation link, chooses the password and enrols TOTP: a full session. */
  async activate(link, login) {
    await this.goto(link);
    await this.page.locator('#password').fill(PASSWORD);
    await this.page.locator('#password_confirm').fill(PASSWORD);
    await this.submit('main form button[type=submit]');
    this.login = login;
    await this.enrol();
    return this;
  }

  /** Password, then the code, through the pages; ends wherever the login was headed. */
  async signIn() {
    await this.page.locator('#login').fill(this.login);
    await this.page.locator('#password').fill(PASSWORD);
    await this.submit('form[action="/login"] button[type=submit]');
    assert.match(this.page.url(), /\/login\/second-factor/);
    await this.page.locator('#code').fill(await freshCode(this.secret));
    return this.submit('form[action="/login/second-factor"] button[type=submit]');
  }

  async logout() {
    await this.submit(this.page.getByRole('button', { name: /Wyloguj/ }));
    assert.match(new URL(this.page.url()).pathname, /^\/(login)?$/);
  }

  /** Another role at this address: the "not found" or "forbidden" page, never the content. */
  async refused(path, what = path) {
    const r = await this.goto(path);
    assert.ok([403, 404].includes(r.status()), `${this.name} reached ${what}: ${r.status()}`);
    const h1 = await this.page.locator('h1').textContent();
    assert.match(h1, /Nie znaleziono strony|Brak uprawnień/, `${this.name} at ${what}`);
  }

  text() {
    return this.page.locator('main').innerText();
  }

  async done() {
    if (this.audit) {
      const missed = this.loaded.filter((u) => !this.audited.has(u) && !u.startsWith('about:') && !u.startsWith('chrome-error:'));
      assert.deepEqual(missed, [], `${this.name}: pages loaded but not audited`);
    }
    await this.context.close();
  }
}

/** A person with an account made by the CLI and activated through the browser. */
export async function person(browser, app, teryt, login, roles, options = {}) {
  const link = await app.addAccount(teryt, login, roles, options.fullName);
  const p = await Person.open(browser, app, { name: login, ...options });
  return p.activate(link, login);
}
