// A board's background picture (WeKan 11's upload-background and download-background): set by board
// admins through the API or the board settings page, only a picture Wami can show, served to whoever
// sees the board and shown behind the board's table; replacing or removing it leaves no stray file.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { storedFiles } from './helpers/files.js';
import { apiAs, idOf } from './helpers/api.js';
import { signUp } from './helpers/browser.js';

// a 2×1 GIF
const GIF = Buffer.from('R0lGODlhAgABAIAAAP///wAAACwAAAAAAgABAAACAoRRADs=', 'base64');


t.test('set through the API, shown on the board, downloaded, replaced and removed', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await signUp(app, 'bob');
  const api = await apiAs(app, 'alice');
  const bob = await apiAs(app, 'bob');
  const boardId = idOf(await api('POST', '/api/boards', { title: 'Pretty' }));
  await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' });
  await api('POST', `/api/boards/${boardId}/members/${(await store.users.byUsername('bob'))!.id}/add`, { action: 'add' });
  t.equal((await api('GET', `/api/attachment/download-background/${boardId}`)).statusCode, 404, 'none yet');

  const set = await api('POST', '/api/attachment/upload-background', JSON.stringify({ boardId, fileName: 'sky.gif', fileType: 'image/gif', fileData: GIF.toString('base64') }));
  t.equal(set.statusCode, 200, set.body);
  const answer = set.json() as { attachmentId: string; backgroundImageURL: string };
  t.match(answer, { success: true, fileName: 'sky.gif', fileSize: GIF.length });
  const got = await bob('GET', `/api/attachment/download-background/${boardId}`);
  t.ok(Buffer.from((got.json() as { base64Data: string }).base64Data, 'base64').equals(GIF), 'a member downloads it, byte for byte');

  const boardUrl = `/b/${boardId}/${(await store.boards.byId(boardId))!.slug}`;
  const page = await alice.get(boardUrl);
  t.ok(page.$('table.board').hasClass('pictured'));
  const sheet = await alice.get(page.$('link[rel=stylesheet]').eq(1).attr('href')!);
  t.match(String(sheet.headers['content-type']), 'text/css');
  t.match(sheet.body, /table\.board\.pictured \{ background-image: url\("\/b\/\w+\/pretty\/background\/\w+\/picture"\); \}/,
    'a style sheet of its own: the pages allow no inline style');
  const image = await alice.get(/url\("([^"]+)"\)/.exec(sheet.body)![1]!);
  t.equal(image.status, 200);
  t.match(String(image.headers['content-type']), 'image/gif');

  t.equal((await bob('POST', '/api/attachment/upload-background', JSON.stringify({ boardId, fileName: 'x.gif', fileData: GIF.toString('base64') }))).statusCode, 403,
    'board admins only');
  const notPicture = await api('POST', '/api/attachment/upload-background', JSON.stringify({ boardId, fileName: 'evil.gif', fileData: Buffer.from('<svg/>').toString('base64') }));
  t.equal(notPicture.statusCode, 422, 'not a picture');
  t.equal(storedFiles(dataDir).length, 1, 'and nothing of it kept');

  const again = await api('POST', '/api/attachment/upload-background', JSON.stringify({ boardId, fileName: 'night.gif', fileData: GIF.toString('base64') }));
  t.not((again.json() as { attachmentId: string }).attachmentId, answer.attachmentId);
  t.equal(storedFiles(dataDir).length, 1, 'the old picture\'s file is gone');

  const settings = await alice.get(`${boardUrl}/settings`);
  t.match(settings.text, 'night.gif');
  await alice.submit(settings, '/background/remove');
  t.equal((await api('GET', `/api/attachment/download-background/${boardId}`)).statusCode, 404);
  t.equal(storedFiles(dataDir).length, 0);
  t.notOk((await alice.get(boardUrl)).$('table.board').hasClass('pictured'));
});

t.test('set on the settings page, and gone with its board', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const boardId = idOf(await api('POST', '/api/boards', { title: 'Pretty' }));
  const boardUrl = `/b/${boardId}/${(await store.boards.byId(boardId))!.slug}`;
  const page = await alice.upload(await alice.get(`${boardUrl}/settings`), '/background', [{ filename: 'sky.gif', content: GIF, type: 'image/gif' }]);
  t.equal(page.status, 200);
  t.ok(await store.boardBackgrounds.of(boardId));
  t.equal(storedFiles(dataDir).length, 1);
  await api('DELETE', `/api/boards/${boardId}`);
  t.equal(storedFiles(dataDir).length, 0, 'deleting the board removes its picture\'s file');
});
