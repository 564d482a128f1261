// Importing a board in the browser: upload the export, see what will be made and who is who, confirm.
import t from 'tap';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

t.test('upload an export, check the preview (counts, people matched by username), import; bad files are refused', async (t) => {
  const { app, store, dataDir } = await startApp(t);
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
  t.match(preview.text, '1 list, 1 swimlane, 2 cards');
  t.equal(preview.$(`select[name="person-${(await store.users.byUsername('alice'))!.id}"] option[selected]`).text(), 'alice', 'alice is matched by username');
  t.equal((await validateHtml(preview.body, 'import-preview')).valid, true);

  const key = String(preview.$('input[name=key]').val());
  const stolen = await alice.post('/import/confirm', { key, csrf: String((await alice.get('/')).$('input[name=csrf]').first().val()) });
  t.equal(stolen.status, 404, 'another user cannot import bob\'s upload');

  const boardsBefore = await store.sql.value('SELECT count(*) FROM boards') as number;
  const made = await bob.submit(preview, '/import/confirm');
  t.equal(made.status, 200);
  t.match(made.text, 'Moving house');
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), boardsBefore + 1);
  t.same(made.$('div.card a').map((_, a) => made.$(a).text()).get().sort(), ['Attic', 'Kitchen']);
  const again = await bob.submit(preview, '/import/confirm');
  t.equal(again.url, made.url, 'a second click on the button leads to the same board');
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), boardsBefore + 1, 'and makes no second one');
  t.same(fs.readdirSync(path.join(dataDir, 'tmp')), [], 'the upload is gone once imported');

  const notJson = await bob.upload(await bob.get('/import'), '/import', [{ filename: 'x.json', content: 'not json at all' }]);
  t.equal(notJson.status, 422);
  t.match(notJson.text, /This file is not valid JSON/);
  const dangling = JSON.parse(exportFile.toString()) as { cards: { listId: string }[] };
  dangling.cards[0]!.listId = 'missing';
  const refused = await bob.upload(await bob.get('/import'), '/import', [{ filename: 'x.json', content: JSON.stringify(dangling) }]);
  t.equal(refused.status, 422);
  t.match(refused.text, 'is in list missing, which is not in the export');
  t.equal((await validateHtml(refused.body, 'import-422')).valid, true);
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), boardsBefore + 1, 'nothing more was made');
});

t.test('a big import shows its progress on a page that reloads itself, then opens the board', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  const aliceId = (await store.users.byUsername('alice'))!.id;
  const board = boardPath(await createBoard(alice, 'Imported at last'));
  let finish: (boardId: string) => void = () => undefined;
  app.importJobs.start('0123456789abcdef01234567', aliceId, (report) => {
    report.files(2, 5);
    return new Promise<string>((resolve) => { finish = resolve; });
  }, () => 'failed');
  const status = await alice.get('/import/jobs/0123456789abcdef01234567');
  t.equal(status.status, 200);
  t.match(status.text, 'Writing the attached files: 2 of 5.');
  t.equal(status.$('meta[http-equiv=refresh]').attr('content'), '1');
  t.equal((await validateHtml(status.body, 'import-status')).valid, true);
  t.equal((await bob.get('/import/jobs/0123456789abcdef01234567')).status, 404, 'only for whoever started it');
  finish(board.split('/')[2]!);
  await app.importJobs.settle('0123456789abcdef01234567', 1000);
  const done = await alice.get('/import/jobs/0123456789abcdef01234567');
  t.equal(done.url, board, 'then the board');
});

t.test('an import that fails part-way says why on its status page, and leaves nothing behind', async (t) => {
  const { app, store, dataDir } = await startApp(t, { WAMI_MAX_FILE_BYTES: '10' });
  const alice = await signUp(app, 'alice');
  const exported = {
    title: 'With a big file', lists: [{ _id: 'l1', title: 'L' }], cards: [{ _id: 'c1', title: 'C', listId: 'l1' }],
    attachments: [{ _id: 'a1', cardId: 'c1', name: 'ok.txt', type: 'text/plain', file: Buffer.from('tiny').toString('base64') },
      { _id: 'a2', cardId: 'c1', name: 'big.txt', type: 'text/plain', file: Buffer.from('more than ten bytes').toString('base64') }],
  };
  const preview = await alice.upload(await alice.get('/import'), '/import', [{ filename: 'export.json', content: JSON.stringify(exported) }]);
  t.match(preview.text, '2 attached files');
  const failed = await alice.submit(preview, '/import/confirm');
  t.equal(failed.status, 500);
  t.match(failed.url, /^\/import\/jobs\/[0-9a-f]{24}$/);
  t.match(failed.text, 'An attached file is larger than this server accepts (10 bytes). Nothing was made.');
  t.equal(failed.$('meta[http-equiv=refresh]').length, 0, 'no more reloading');
  t.equal((await validateHtml(failed.body, 'import-status-failed')).valid, true);
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), 0);
  t.same(fs.readdirSync(path.join(dataDir, 'attachments'), { recursive: true }).filter((f) => !fs.statSync(path.join(dataDir, 'attachments', String(f))).isDirectory()), [],
    'the file placed before the failure went again');
  t.same(fs.readdirSync(path.join(dataDir, 'tmp')), [], 'and the uploaded export');
});

t.test('a WeKan export is read as a stream: big files go straight to disk, byte for byte; broken JSON is refused', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const bytes = crypto.randomBytes(3 * 1024 * 1024 + 7); // not a multiple of 3: base64 ends in padding
  const exported = JSON.stringify({
    _format: 'wekan-board-1.0.0', title: 'Streamed', lists: [{ _id: 'l1', title: 'L' }], cards: [{ _id: 'c1', title: 'Has a file', listId: 'l1' }],
    attachments: [{ _id: 'a1', cardId: 'c1', name: 'scan.bin', type: 'application/octet-stream', file: bytes.toString('base64') }],
  });
  const preview = await alice.upload(await alice.get('/import'), '/import', [{ filename: 'export.json', content: exported }]);
  t.match(preview.text, '1 attached file');
  t.equal(fs.readdirSync(path.join(dataDir, 'tmp')).length, 1, 'the preview only counts the files: the upload waits alone');
  let board = await alice.submit(preview, '/import/confirm');
  // On a busy machine the import may outlast the second the confirmation waits: then its status page
  // comes first, and leads to the board once it is made, as the browser's reloads would find.
  for (let i = 0; i < 300 && board.url.startsWith('/import/jobs/'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    board = await alice.get(board.url);
  }
  t.equal(board.status, 200);
  t.match(board.text, 'Streamed', 'the board is shown');
  const attachment = await store.sql.one('SELECT id, size, sha256 FROM attachments') as { id: string; size: number; sha256: string };
  t.equal(attachment.size, bytes.length);
  t.equal(attachment.sha256, crypto.createHash('sha256').update(bytes).digest('hex'));
  t.ok(fs.readFileSync(app.files.pathOf(attachment.id)).equals(bytes), 'the same bytes on disk');
  t.same(fs.readdirSync(path.join(dataDir, 'tmp')), [], 'nothing left in the temp folder');

  const cut = await alice.upload(await alice.get('/import'), '/import', [{ filename: 'export.json', content: exported.slice(0, 200_000) }]);
  t.equal(cut.status, 422);
  t.match(cut.text, 'This file is not valid JSON');
  t.equal((await validateHtml(cut.body, 'import-cut-422')).valid, true);
  t.same(fs.readdirSync(path.join(dataDir, 'tmp')), [], 'and nothing left by the broken one');
});
