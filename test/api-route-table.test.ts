// docs/api-wekan11.md stays true: every WeKan 11 route in its table is one Wami serves, with each method
// the table says Wami answers (parameter names aside: WeKan's :listId may be Wami's :laneId).
import t from 'tap';
import fs from 'node:fs';
import { startApp } from './helpers/app.js';

const shape = (url: string) => url.replace(/:[A-Za-z]+/g, ':');

t.test('every route of the table is served, with the methods it names', async (t) => {
  const { app } = await startApp(t);
  await app.ready();
  const served = new Set(app.routeList.map((r) => `${r.method} ${shape(r.url)}`));
  const rows = fs.readFileSync('docs/api-wekan11.md', 'utf8').split('\n')
    .map((line) => /^\| `(\/api\/[^`]+)` \| [^|]+ \| [^|]+ \| (.+) \|$/.exec(line)).filter((m): m is RegExpExecArray => m !== null);
  t.ok(rows.length > 90, `${rows.length} routes in the table`);
  for (const [, route, wami] of rows) {
    const answered = /^answers \(([A-Z, ]+)/.exec(wami!)?.[1]?.split(', ') ?? [];
    if (/501/.test(wami!) && answered.length === 0) {
      t.ok([...served].some((key) => key.endsWith(` ${shape(route!)}`)), `${route} answers its 501`);
      continue;
    }
    t.ok(answered.length > 0, `${route}: "${wami}" says what Wami answers`);
    for (const method of answered) t.ok(served.has(`${method} ${shape(route!)}`), `${method} ${route}`);
  }
});
