// What people type into the forms, and how they type it.

/** A PESEL with its check digit computed from the first ten digits (weights 1-3-7-9). */
export function pesel(firstTen) {
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...firstTen].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return firstTen + String((10 - (sum % 10)) % 10);
}

/** The same PESEL with a wrong check digit. */
export function wrongPesel(firstTen) {
  const good = pesel(firstTen);
  return good.slice(0, 10) + String((Number(good[10]) + 1) % 10);
}

/** A complete form A, field by field, as its names stand in the page. */
export function formA(overrides = {}) {
  return {
    'header.filled_at': '2026-11-23T08:30',
    'affected_persons[0].first_name': 'Zofia',
    'affected_persons[0].last_name': "D'Amico-Wróblewska",
    'affected_persons[0].pesel': pesel('8503120840'),
    'suspected_persons[0].first_name': 'Łukasz',
    'suspected_persons[0].last_name': 'Żółkiewski',
    'suspected_persons[0].pesel': pesel('8301050571'),
    'violence.forms': ['physical', 'psychological'],
    'household.children_present': 'false',
    'firearm.has_firearm': 'no',
    'filled_by.category': 'police',
    'filled_by.first_name': 'Piotr',
    'filled_by.last_name': 'Wiśniewski',
    'filled_by.institution': 'Komenda Powiatowa Policji w Ostoi',
    ...overrides,
  };
}

/**
 * On a form in steps, goes to the step that holds the field `name` (the list of parts names each step's sections),
 * as a person does with the list "Wszystkie części formularza". Nothing happens when the field is on the page.
 */
export async function goToStepOf(page, name) {
  if (await page.locator(`[name="${name}"]:not([type=hidden])`).count()) return;
  const section = name.split(/[[.]/)[0];
  const button = page.locator(`.step-list button[name=goto][data-sections~="${section}"]`);
  if (!(await button.count())) return;
  await page.locator('.step-list').evaluate((d) => { d.open = true; });
  await Promise.all([page.waitForNavigation(), button.click()]);
}

/** Fills named fields the way a person does: typing text, choosing options, ticking boxes; part by part. */
export async function fill(page, fields) {
  for (const [name, value] of Object.entries(fields)) {
    await goToStepOf(page, name);
    const el = page.locator(`[name="${name}"]:not([type=hidden])`);
    if (Array.isArray(value)) {
      for (const v of value) await page.locator(`[name="${name}"][value="${v}"]:not([type=hidden])`).check();
      continue;
    }
    const tag = await el.first().evaluate((e) => `${e.tagName.toLowerCase()}:${e.type}`);
    if (tag.startsWith('select')) await el.selectOption(value);
    else if (tag === 'input:checkbox') await (value ? el.check() : el.uncheck());
    else if (tag === 'input:datetime-local' || tag === 'input:date') await el.fill(value);
    else {
      await el.fill('');
      await el.pressSequentially(value);
    }
  }
}

/** Text as a clipboard pastes it: in one go, tabs and emoji included. */
export async function paste(page, name, text) {
  await goToStepOf(page, name);
  const el = page.locator(`[name="${name}"]:not([type=hidden])`);
  await el.focus();
  await page.keyboard.insertText(text);
}

/** The day `offset` days from today in Poland (Europe/Warsaw), YYYY-MM-DD: what the server takes as "today". A UTC
 * date is yesterday's Polish date for an hour or two after midnight, and a journey typing "tomorrow" then types
 * today. */
export function polishDay(offset = 0) {
  const at = new Date(Date.now() + offset * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
