// ELinks (HTTP/1.1, cookies, follows meta refresh, no images) through the key flows
// (test/helpers/key-flows.ts), each step checked in the database; then, with automatic refresh on,
// another session's card arrives by itself.
import fs from 'node:fs';
import t from 'tap';
import { profileOf } from '../../server/store/users.js';
import { listenApp } from '../helpers/app.js';
import { FOOTER, runKeyFlows } from '../helpers/key-flows.js';
import { browserHome, textBrowser } from '../helpers/retro.js';

t.test('ELinks: sign in, add a card, move it, tick an item, comment, upload; a change arrives by meta refresh', async (t) => {
  const requests: { url: string; agent: string }[] = [];
  const { app, store, url } = await listenApp(t, {}, (app) => {
    app.addHook('onRequest', async (request) => { requests.push({ url: request.url, agent: String(request.headers['user-agent'] ?? '') }); });
  });
  const home = browserHome('wami-elinks-');
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  // ELinks: Enter starts editing a field, Escape ends it; it asks before posting a form (Enter = yes)
  const { garden, mirror } = await runKeyFlows(t, { app, store, url, home },
    { browser: 'elinks', edit: ['keys Enter'], leave: ['keys Escape'], confirm: ['sleep 0.3', 'keys Enter'] });
  const { ella, board, boardUrl } = garden;

  // automatic refresh on: a card added by another session shows up with no key pressed
  await store.users.updateProfile(ella.id, { ...profileOf(ella), autoRefresh: true });
  const watching = textBrowser('elinks', `${url}${boardUrl}`, FOOTER, ['sleep 0.5'], 'Pick apples', home);
  const until = async (what: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end && !what();) await new Promise((resolve) => setTimeout(resolve, 100));
    return what();
  };
  t.ok(await until(() => app.waiters.size > 0, 15_000), 'ELinks followed the meta refresh into a held wait');
  const before = (await store.boards.byId(board.id))!.version;
  await mirror.submit(await mirror.get(boardUrl), '/cards', { title: 'Pick apples' });
  t.match(await watching, 'Pick apples', 'ELinks shows the new card');
  t.ok(requests.some((r) => r.agent.startsWith('ELinks') && r.url.includes(`/wait?since=${before}`)), 'by the long poll');
});
