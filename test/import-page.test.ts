// Importing a board in the browser: upload the export, see what will be made and who is who, confirm.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

t.test('upload an export, check the preview (counts, people matched by username), import; bad files are refused', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  let board = await createBoard(alice, 'Moving house');
  board = await alice.submit(board, '/lists', { title: 'Boxes' });
  for (const title of ['Kitchen', 'Attic']) board = await alice.submit(board, '/cards', { title });
  const exportFile = (await app.inject({ url: `${boardPath(board)}/export`, headers: { cookie: alice.cookieHeader() } })).rawPayload;

  const home = await bob.get('/');
  t.equal(home.$('a[href="/import"]').length, 1, 'the boards page links to the import');
  const form = await bob.get('/import');
  t.equal((await validateHtml(form.body, 'import')).valid, true);
  const preview = await bob.upload(form, '/import', [{ filename: 'wekan-export.json', content: exportFile, type: 'application/json' }]);
  t.equal(preview.status, 200);
  t.match(preview.text, 'Import "Moving house"?');
  t.match(preview.text, '1 lists, 1 swimlanes, 2 cards');
  t.equal(preview.$(`select[name="person-${store.users.byUsername('alice')!.id}"] option[selected]`).text(), 'alice', 'alice is matched by username');
  t.equal((await validateHtml(preview.body, 'import-preview')).valid, true);

  const key = String(preview.$('input[name=key]').val());
  const stolen = await alice.post('/import/confirm', { key, csrf: String((await alice.get('/')).$('input[name=csrf]').first().val()) });
  t.equal(stolen.status, 404, 'another user cannot import bob\'s upload');

  const boardsBefore = store.db.prepare('SELECT count(*) FROM boards').pluck().get() as number;
  const made = await bob.submit(preview, '/import/confirm');
  t.equal(made.status, 200);
  t.match(made.text, 'Moving house');
  t.equal(store.db.prepare('SELECT count(*) FROM boards').pluck().get(), boardsBefore + 1);
  t.same(made.$('div.card a').map((_, a) => made.$(a).text()).get().sort(), ['Attic', 'Kitchen']);
  t.equal((await bob.submit(preview, '/import/confirm')).status, 404, 'the upload is gone once imported');

  const notJson = await bob.upload(await bob.get('/import'), '/import', [{ filename: 'x.json', content: 'not json at all' }]);
  t.equal(notJson.status, 422);
  t.match(notJson.text, /This file is not valid JSON/);
  const dangling = JSON.parse(exportFile.toString()) as { cards: { listId: string }[] };
  dangling.cards[0]!.listId = 'missing';
  const refused = await bob.upload(await bob.get('/import'), '/import', [{ filename: 'x.json', content: JSON.stringify(dangling) }]);
  t.equal(refused.status, 422);
  t.match(refused.text, 'is in list missing, which is not in the export');
  t.equal((await validateHtml(refused.body, 'import-422')).valid, true);
  t.equal(store.db.prepare('SELECT count(*) FROM boards').pluck().get(), boardsBefore + 1, 'nothing more was made');
});
