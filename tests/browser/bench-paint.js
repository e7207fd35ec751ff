// First contentful paint of the dashboard in Chromium on data made by `ostoja demo` (issue 16, speed): logs in as each
// demo account named, loads `/` ROUNDS times and prints the samples and their median. A benchmark, not a test: its
// figures go into docs/benchmarks.md by hand. Run through scripts/bench-paint, which starts the server.
//
//   BASE=http://127.0.0.1:18400 ROUNDS=11 node bench-paint.js demo.chair demo.group-member
import { launch, DESKTOP } from './lib/browser.js';

const base = process.env.BASE ?? 'http://127.0.0.1:18400';
const rounds = Number(process.env.ROUNDS ?? 11);
const logins = process.argv.slice(2);
const password = process.env.PASSWORD ?? 'pokaz-ostoja-2026';

const browser = await launch();
try {
  for (const login of logins) {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'pl-PL', timezoneId: 'Europe/Warsaw' });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.locator('#login').fill(login);
    await page.locator('#password').fill(password);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('form[action="/login"] button[type=submit]').click()]);
    if (new URL(page.url()).pathname !== '/') throw new Error(`${login}: the login ended at ${page.url()}`);
    const samples = [];
    // The first load fills the browser's cache of the stylesheet and script, as for a person who works every day.
    for (let i = 0; i <= rounds; i++) {
      await page.goto(`${base}/`, { waitUntil: 'load' });
      // The paint entry can arrive after the load event in headless Chromium: wait for it (buffered), at most 5 s.
      const fcp = await page.evaluate(
        () =>
          new Promise((resolve) => {
            new PerformanceObserver((list) => {
              const entry = list.getEntriesByName('first-contentful-paint')[0];
              if (entry) resolve(entry.startTime);
            }).observe({ type: 'paint', buffered: true });
            setTimeout(() => resolve(null), 5000);
          }),
      );
      if (fcp === null) throw new Error(`${login}: Chromium reported no first contentful paint for /`);
      const nav = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0];
        return { ttfb: n.responseStart - n.requestStart, bytes: n.transferSize };
      });
      if (i > 0) samples.push({ fcp, ...nav });
    }
    const sorted = (key) => samples.map((s) => s[key]).sort((a, b) => a - b);
    const median = (values) => values[Math.floor(values.length / 2)];
    const fcp = sorted('fcp');
    const ttfb = sorted('ttfb');
    console.log(`${login}: first contentful paint median ${median(fcp).toFixed(0)} ms, min ${fcp[0].toFixed(0)}, max ` +
      `${fcp[fcp.length - 1].toFixed(0)} (${rounds} loads); time to first byte median ${median(ttfb).toFixed(1)} ms; ` +
      `page ${samples[0].bytes} bytes`);
    console.log(`  samples: ${fcp.map((v) => v.toFixed(0)).join(', ')}`);
    await context.close();
  }
} finally {
  await browser.close();
}
