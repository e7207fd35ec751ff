// The programme's journeys arrive with issue 5: a programme reporter entering indicator values, and the coordinator
// generating the annual report, previewing it (screenshot docs/screenshots/annual-report.png) and downloading the PDF.
// Each becomes one file here, written like group-work.test.js: `world()` in `before`, `w.person(login, roles)` for
// each role, `refused()` for the role that must not reach the pages, `w.close()` in `after`.
import { test } from 'node:test';

test.todo('a programme reporter enters indicator values (issue 5)');
test.todo('the coordinator generates the annual report, previews it and downloads the PDF (issue 5)');
