// Screenshots for the README, written into docs/screenshots/ by the tests that reach the pages.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHOTS = resolve(import.meta.dirname, '../../../docs/screenshots');

export async function screenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage, animations: 'disabled' });
}
