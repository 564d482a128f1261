// links2 in text mode (HTTP/1.1, cookies kept in ~/.links2, meta refresh shown as a link, no images)
// through the key flows (test/helpers/key-flows.ts), each step checked in the database.
import fs from 'node:fs';
import t from 'tap';
import { listenApp } from '../helpers/app.js';
import { runKeyFlows } from '../helpers/key-flows.js';
import { browserHome } from '../helpers/retro.js';

t.test('links2: sign in, add a card, move it, tick an item, comment, upload', async (t) => {
  const { app, store, url } = await listenApp(t);
  const home = browserHome('wami-links2-');
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  // links2 types straight into the selected field, and posts a form without asking
  await runKeyFlows(t, { app, store, url, home }, { browser: 'links2', edit: [], leave: [], confirm: [] });
});
