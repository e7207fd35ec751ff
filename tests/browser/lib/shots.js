// Screenshots for the README, written into docs/screenshots/ by the tests that reach the pages.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHOTS = fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));

export async function screenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage, animations: 'disabled' });
}
