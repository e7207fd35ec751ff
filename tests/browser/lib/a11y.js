// What every page the journeys visit must pass: axe-core's WCAG 2.1 A/AA rules, and reflow (no horizontal scrolling
// of text) at 320 CSS pixels and at 200% zoom of a 1280-pixel window (640 CSS pixels).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export async function axe(page) {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy needs no exception.
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    TAGS,
  );
  const report = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n'),
  );
  assert.deepEqual(report, [], `WCAG 2.1 A/AA violations on ${page.url()}:\n${report.join('\n')}`);
}

/** The widest element sticking out to the right, for the failure message. */
async function overflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const root = document.scrollingElement;
    if (root.scrollWidth <= width) return null;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !e.closest('.table-wrap'))
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).replace(/ /g, '.') : ''} (${Math.round(e.getBoundingClientRect().right)}px)`);
    return { scrollWidth: root.scrollWidth, width, culprits: culprits.slice(0, 8) };
  });
}

export async function reflow(page) {
  const original = page.viewportSize();
  try {
    for (const [width, height, what] of [[320, 640, '320 px width'], [640, 400, '200% zoom']]) {
      await page.setViewportSize({ width, height });
      const o = await overflow(page);
      assert.equal(o, null, `horizontal scrolling at ${what} on ${page.url()}: ${JSON.stringify(o)}`);
    }
  } finally {
    await page.setViewportSize(original);
  }
}

/**
 * Every error message beside a field is announced with it: it has an id that the control (or its fieldset) names in
 * `aria-describedby`, and that control is `aria-invalid` (WCAG 1.3.1 and 3.3.1; axe does not check this).
 */
export async function errorsTied(page) {
  const loose = await page.evaluate(() => [...document.querySelectorAll('main .field .error, main fieldset .error')]
    .filter((e) => !e.id || !document.querySelector(`[aria-describedby~="${CSS.escape(e.id)}"]`))
    .map((e) => `${e.closest('.field, fieldset')?.querySelector('input, select, textarea')?.name ?? '?'}: ${e.textContent.trim()}`));
  assert.deepEqual(loose, [], `error messages not tied to their field on ${page.url()}`);
}

/**
 * The words of table cells that the layout split across two lines (a word ends at white space, a hyphen, a dash or a
 * slash, where a line may break anyway). On a wide screen there is room for every word whole.
 */
export async function brokenWords(page) {
  return page.evaluate(() => {
    const broken = [];
    for (const cell of document.querySelectorAll('main th, main td')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.data.matchAll(/[^\s\-–/]+/g)) {
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
