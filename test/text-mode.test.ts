// Text mode (Step 6): a "skip to the lists" link first on a board, access keys for the main actions,
// and lite pages (the profile setting) with no style sheet and no pictures, covers and change marks included.
import fs from 'node:fs';
import t from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

function accessKeys(page: Page): string[] {
  return page.$('[accesskey]').toArray().map((el) => page.$(el).attr('accesskey')!);
}

t.test('a board starts with a link past everything to the lists, and main actions have access keys', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Allotment');
  t.equal(board.$('a[href="#lists"]').length, 0, 'no lists yet: nothing to skip to');
  board = await alice.submit(board, '/lists', { title: 'Sow' });
  board = await alice.submit(board, '/cards', { title: 'Beans' });

  const first = board.$('body a').first();
  t.equal(first.text(), 'Skip to the lists', 'the first link on the page');
  t.equal(first.attr('href'), '#lists');
  t.equal(first.attr('accesskey'), 'l');
  t.equal(board.$('a[name=lists]').next().is('table.board'), true, 'it lands on the board table');

  const keys = accessKeys(board);
  t.same([...keys].sort(), [...new Set(keys)].sort(), 'no key used twice on a page');
  for (const key of ['l', 'n', 'r', 'b', 's', 'p']) t.ok(keys.includes(key), `the board has access key ${key}`);
  t.equal(board.$('#new-card').attr('accesskey'), 'n', 'n: the new card field');

  const card = await alice.get(board.$('div.card > a').first().attr('href')!);
  t.equal(card.$('#comment').attr('accesskey'), 'c', 'c: the comment box on a card');
  const refresh = card.$('a[accesskey=r]');
  t.equal(refresh.text(), 'Refresh', 'r: a card page has a Refresh link too (not every browser follows meta refresh)');
  t.equal(refresh.attr('href'), card.url);
  const cardKeys = accessKeys(card);
  t.same([...cardKeys].sort(), [...new Set(cardKeys)].sort(), 'no key used twice on the card page');
});

t.test('lite pages: no style sheet, no pictures (change marks as "*", no covers), same content', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  let board = await createBoard(alice, 'Shared');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'With a cover' });
  board = await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: 'bob' });
  const cardUrl = (await alice.get(boardPath(board))).$('div.card > a').first().attr('href')!;
  await alice.upload(await alice.get(cardUrl), '/attachments', [{ filename: 'logo.gif', content: fs.readFileSync('static/wami.gif') }]);
  const attachmentId = await store.sql.value('SELECT id FROM attachments') as string;
  await alice.submit(await alice.get(`${cardUrl}/attachments/${attachmentId}`), '/cover');

  await bob.submit(await bob.get('/profile'), '/profile', { textMode: '1', timeZone: 'UTC' });
  const path = boardPath(board);
  const version = Number(/since=(\d+)/.exec((await bob.get(path)).$('meta[http-equiv=refresh]').attr('content') ?? '')?.[1]);
  await alice.submit(await alice.get(cardUrl), '/title', { title: 'With a cover, renamed' });
  const lite = await bob.get(`${path}/wait?since=${version}`);
  t.equal(lite.status, 200);
  t.match(lite.text, '* With a cover, renamed (changed by alice)', 'the change mark as text');
  t.equal(lite.$('img').length, 0, 'no pictures at all');
  t.equal(lite.$('link[rel=stylesheet]').length, 0, 'no style sheet');
  t.equal(lite.$('a').first().text(), 'Skip to the lists');
  t.ok((await validateHtml(lite.body, 'board-lite')).valid, 'valid HTML 4.01');

  const full = await alice.get(path);
  t.equal(full.$('img.cover').length, 1, 'the same board for alice, not lite, shows the cover');
});

t.test('/accessibility says which browsers are tested and how, and shows the suite\'s screenshots', async (t) => {
  const { app } = await startApp(t);
  const visitor = new Browser(app);
  const signIn = await visitor.get('/sign-in');
  t.equal(signIn.$('p.foot a').filter((_, a) => signIn.$(a).text() === 'Accessibility').attr('href'), '/accessibility', 'linked from every page');
  const page = await visitor.get('/accessibility');
  t.equal(page.status, 200, 'open to visitors');
  for (const browser of ['Lynx', 'w3m', 'ELinks', 'Links', 'Dillo', 'NetSurf', 'IBrowse', 'AWeb']) t.match(page.text, browser);
  t.ok((await validateHtml(page.body, 'accessibility')).valid, 'valid HTML 4.01');
  const shots = page.$('a[href$=".png"]').toArray().map((a) => page.$(a).attr('href')!);
  t.same(shots, ['/accessibility/dillo-card.png', '/accessibility/netsurf-board.png']);
  for (const shot of shots) {
    const image = await app.inject({ url: shot });
    t.equal(image.statusCode, 200, shot);
    t.equal(image.headers['content-type'], 'image/png');
    t.same(image.rawPayload.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), `${shot} is a PNG`);
  }
  for (const name of ['nothing.png', '..%2Fpackage.json', 'constructor', '__proto__']) {
    t.equal((await app.inject({ url: `/accessibility/${name}` })).statusCode, 404, `${name}: not found`);
  }
});
