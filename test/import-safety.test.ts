// What an import carries in is checked where it reaches a header, a path or a person: an attachment's
// type and name (a CR/LF in a type broke every download and went into multipart range parts), and the
// authors of cards and comments (an export could claim any username, and that account joined the board
// unasked). People are only those the importer picks; the rest are named in their comments.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { apiAs, idOf } from './helpers/api.js';
import { boardPath, signUp } from './helpers/browser.js';

/** A WeKan export in which "bob" wrote a comment, and one attachment with the given name and type. */
function exportWith(attachment: { name: string; type: string }) {
  return {
    _format: 'wekan-board-1.0.0', _id: 'b1', title: 'Imported', permission: 'private', color: 'belize',
    users: [{ _id: 'u-bob', username: 'bob' }, { _id: 'u-gone', username: 'gone' }],
    members: [{ userId: 'u-bob', isAdmin: true, isActive: true }],
    swimlanes: [{ _id: 's1', title: 'Default', sort: 0 }],
    lists: [{ _id: 'l1', title: 'List', sort: 0 }],
    cards: [{ _id: 'c1', title: 'Card', listId: 'l1', swimlaneId: 's1', sort: 0, userId: 'u-bob' }],
    comments: [{ _id: 'm1', cardId: 'c1', userId: 'u-bob', text: 'I wrote this' }, { _id: 'm2', cardId: 'c1', userId: 'u-gone', text: 'Me too' }],
    attachments: [{ _id: 'a1', cardId: 'c1', userId: 'u-bob', ...attachment, file: Buffer.from('0123456789abcdef').toString('base64') }],
  };
}

t.test('an imported attachment\'s type and name cannot break or add a header; downloads and ranges answer', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const board = exportWith({ name: '../../x\r\nSet-Cookie: a=b\u0000.bin', type: 'text/plain\r\nX-Injected: yes' });
  const made = await api('POST', '/api/boards/import', { board });
  t.equal(made.statusCode, 200);
  const row = await store.sql.one<{ name: string; type: string }>('SELECT name, type FROM attachments');
  t.notMatch(row!.name, /[\r\n\u0000/\\]/, `the stored name is clean (${JSON.stringify(row!.name)})`);
  t.equal(row!.type, 'application/octet-stream', 'a type that is no plain media type is not kept');
  const [listed] = (await api('GET', `/api/boards/${idOf(made)}/attachments`)).json() as { url: string }[];
  // the file is a page route: a browser (here Basic auth) downloads it
  const download = (range?: string) => app.inject({ url: listed!.url, headers: { authorization: ALICE, ...(range ? { range } : {}) } });
  for (const range of [undefined, 'bytes=0-3', 'bytes=0-1,4-5']) {
    const answer = await download(range);
    t.equal(answer.statusCode, range ? 206 : 200, range ?? 'the whole file');
    t.notOk('x-injected' in answer.headers, 'no injected header');
    t.notOk('set-cookie' in answer.headers, 'no header from the name');
    t.notMatch(answer.body, /X-Injected/, 'nothing injected into the parts either');
  }
  // a type stored before imports were checked is served safely too
  await store.sql.run("UPDATE attachments SET type = 'text/html\r\nX-Injected: old'");
  for (const range of [undefined, 'bytes=0-1,4-5']) {
    const old = await download(range);
    t.equal(old.statusCode, range ? 206 : 200, `a bad stored type: ${old.statusCode}, not a 500`);
    t.notOk('x-injected' in old.headers);
    t.notMatch(old.body, /X-Injected/);
  }
  t.equal((await download()).headers['content-type'], 'application/octet-stream');
});

const ALICE = `Basic ${Buffer.from('alice:correct horse battery').toString('base64')}`;

t.test('through the API, nobody but the importer is taken for an author unless the script maps them', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'admin'); // the first account is the site admin
  await signUp(app, 'bob');
  await signUp(app, 'carol');
  const carol = await apiAs(app, 'carol');
  const made = await carol('POST', '/api/boards/import', { board: exportWith({ name: 'a.txt', type: 'text/plain' }) });
  t.equal(made.statusCode, 200);
  t.same((made.json() as { unmatchedUsers: string[] }).unmatchedUsers.sort(), ['bob', 'gone'], 'bob is not taken for the export\'s bob');
  const boardId = idOf(made);
  const members = (await store.members.forBoard(boardId)).map((m) => m.username);
  t.same(members, ['carol'], 'bob did not join the board unasked');
  const comments = await store.sql.all<{ username: string; text: string }>(
    'SELECT u.username, c.text FROM comments c JOIN users u ON u.id = c.user_id ORDER BY c.created_at, c.text');
  t.same(comments.map((c) => c.username), ['carol', 'carol'], 'kept under the importer\'s name');
  t.ok(comments.some((c) => c.text === '_Imported from bob:_\n\nI wrote this'), 'saying whom it was imported from');
  t.ok(comments.some((c) => c.text === '_Imported from gone:_\n\nMe too'));

  const bobId = (await store.users.byUsername('bob'))!.id;
  const mapped = await carol('POST', '/api/boards/import', { board: exportWith({ name: 'a.txt', type: 'text/plain' }), membersMapping: { 'u-bob': bobId } });
  t.same((await store.members.forBoard(idOf(mapped))).map((m) => m.username).sort(), ['bob', 'carol'], 'a person the script maps is taken');

  const admin = await apiAs(app, 'admin');
  const byAdmin = await admin('POST', '/api/boards/import', { board: exportWith({ name: 'a.txt', type: 'text/plain' }) });
  t.same((byAdmin.json() as { unmatchedUsers: string[] }).unmatchedUsers, ['gone'], 'a site admin\'s import matches same usernames, as WeKan does');
});

t.test('on the import page only the people the importer leaves picked join; "nobody" means nobody', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'admin');
  await signUp(app, 'bob');
  const carol = await signUp(app, 'carol');
  const form = await carol.get('/import');
  const preview = await carol.upload(form, '/import',
    [{ filename: 'board.json', content: JSON.stringify(exportWith({ name: 'a.txt', type: 'text/plain' })), type: 'application/json' }]);
  t.equal(preview.status, 200);
  t.equal(preview.$('select[name="person-u-bob"] option[selected]').text(), 'bob', 'the same username is proposed');
  t.match(preview.text, 'Only the people you choose join the board');
  const made = await carol.submit(preview, '/import/confirm', { 'person-u-bob': '' });
  t.equal(made.status, 200);
  const boardId = boardPath(made).split('/')[2]!;
  t.same((await store.members.forBoard(boardId)).map((m) => m.username), ['carol'], 'bob, set to nobody, is not on the board');
  const texts = await store.sql.all<{ text: string }>('SELECT text FROM comments WHERE board_id = ? ORDER BY text', boardId);
  t.same(texts.map((c) => c.text), ['_Imported from bob:_\n\nI wrote this', '_Imported from gone:_\n\nMe too']);
});
