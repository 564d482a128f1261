// Importing boards from Trello JSON and CSV files (and an old WeKan export), by the import page and by
// the API; what was made is read back through the board export. Bad files: a report naming the line
// or id, the right status, and nothing made. Fixtures in test/fixtures/ are written by hand.
import t from 'tap';
import { profileOf } from '../server/store/users.js';
import fs from 'node:fs';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { listenApp, startApp } from './helpers/app.js';
import { signUp, type Browser } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

const fixture = (name: string) => fs.readFileSync(new URL(`fixtures/${name}`, import.meta.url));

async function tokenOf(app: FastifyInstance, username: string): Promise<string> {
  const answer = await app.inject({ method: 'POST', url: '/users/login', payload: { username, password: 'correct horse battery' } });
  return (answer.json() as { token: string }).token;
}

type Doc = Record<string, unknown>;
type Exported = Doc & { lists: Doc[]; cards: Doc[]; labels: Doc[]; members: Doc[]; users: Doc[]; comments: Doc[]; checklists: Doc[]; checklistItems: Doc[]; swimlanes: Doc[] };

async function exported(app: FastifyInstance, token: string, boardId: string): Promise<Exported> {
  const answer = await app.inject({ method: 'GET', url: `/api/boards/${boardId}/export`, headers: { authorization: `Bearer ${token}` } });
  return answer.json() as Exported;
}

/** Uploads `file` on /import/<source> (the format chosen there) and answers the preview page. */
async function preview(browser: Browser, source: string, filename: string, content: Buffer | string) {
  return browser.upload(await browser.get(source ? `/import/${source}` : '/import'), '/import', [{ filename, content }]);
}

t.test('a Trello export: lists, cards, labels, members by username, checklists, comments; links to its files', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const token = await tokenOf(app, 'alice');
  const form = await alice.get('/import/trello');
  t.equal(form.$('select#source option[selected]').attr('value'), 'trello', 'WeKan\'s /import/trello chooses the format');
  t.equal((await validateHtml(form.body, 'import-trello')).valid, true);
  const page = await preview(alice, '', 'trello-export.json', fixture('trello-board.json'));
  t.equal(page.status, 200, 'told from the file');
  t.match(page.text, 'Import "Garden plans"?');
  t.match(page.text, 'Trello export');
  t.match(page.text, '3 lists, 1 swimlane, 3 cards, 3 labels');
  t.match(page.text, '1 checklist, 1 comment');
  t.match(page.text, '1 comment on a card deleted on Trello is left out.');
  t.match(page.text, '1 file attached on Trello is not in its export');
  t.equal(page.$(`select[name="person-5f00000000000000000000a1"] option[selected]`).text(), 'alice');
  t.equal(page.$(`select[name="person-5f00000000000000000000b2"] option[selected]`).length, 0, 'nobody here is gardener99');
  t.equal((await validateHtml(page.body, 'import-preview-trello')).valid, true);
  const made = await alice.submit(page, '/import/confirm');
  t.equal(made.status, 200);
  const boardId = made.url.split('/')[2]!;
  const board = await exported(app, token, boardId);
  t.match(board, { title: 'Garden plans', description: 'What we grow this year', color: 'nephritis', permission: 'private' });
  t.same(board.lists.map((l) => [l.title, l.archived]).sort(), [['Doing', false], ['Ideas', false], ['Old stuff', true]]);
  t.same(board.labels.map((l) => [l.name, l.color]), [['Urgent', 'red'], ['Shade', 'sky'], ['No colour', 'gray']]);
  const tomatoes = board.cards.find((c) => c.title === 'Plant tomatoes')!;
  const listOf = (card: Doc) => board.lists.find((l) => l._id === card.listId)?.title;
  t.equal(listOf(tomatoes), 'Doing');
  t.match(tomatoes, { dueAt: '2031-05-01T09:00:00.000Z', startAt: '2031-04-20T00:00:00.000Z', createdAt: '2031-04-01T10:00:00.000Z', archived: false });
  t.match(tomatoes.description, /^Six \*\*plants\*\*\n\nAttached on Trello:\n\n- \[seed-list\.pdf\]\(https:\/\/trello\.com\/.*seed-list\.pdf\)$/);
  t.same((tomatoes.labelIds as string[]).map((id) => board.labels.find((l) => l._id === id)?.name).sort(), ['Shade', 'Urgent']);
  const aliceId = (await store.users.byUsername('alice'))!.id;
  t.same(tomatoes.members, [aliceId], 'members matched here; gardener99 is not');
  t.equal(tomatoes.userId, aliceId, 'the card\'s creator from its createCard action');
  t.same(board.checklistItems.map((i) => [i.title, i.isFinished]), [['Dig', true], ['Water', false]]);
  t.match(board.comments, [{ text: 'Cherry ones, please', userId: aliceId, createdAt: '2031-04-02T11:00:00.000Z' }]);
  t.equal(board.cards.find((c) => c.title === 'Last year\'s beans')!.archived, true);
  t.same(board.members.map((m) => [m.userId, m.isAdmin]), [[aliceId, true]]);

  // the same file through the API, its format told from the body
  const api = await app.inject({ method: 'POST', url: '/api/boards/import', headers: { authorization: `Bearer ${token}` },
    payload: { board: JSON.parse(fixture('trello-board.json').toString()), title: 'Garden again' } });
  t.equal(api.statusCode, 200);
  t.same((api.json() as { unmatchedUsers: string[] }).unmatchedUsers.sort(), ['formerhelper', 'gardener99']);
  t.equal((await exported(app, token, (api.json() as { _id: string })._id)).title, 'Garden again');

  const broken = JSON.parse(fixture('trello-board.json').toString()) as Doc & { cards: Doc[] };
  broken.cards[1]!.idList = '5f1a2b3c4d5e6f7a8b9cdead';
  const boards = await store.sql.value('SELECT count(*) FROM boards');
  const refused = await app.inject({ method: 'POST', url: '/api/boards/import', headers: { authorization: `Bearer ${token}` },
    payload: { board: broken, importSource: 'trello' } });
  t.equal(refused.statusCode, 422);
  t.match((refused.json() as { reason: string }).reason, 'Card 5f1a2b3c4d5e6f7a8b9c1002 ("Buy a hose") is in list 5f1a2b3c4d5e6f7a8b9cdead');
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), boards, 'nothing was made');
});

t.test('a CSV file: lists from the stage column, labels, people, dates in the importer\'s time zone; bad lines reported', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  await signUp(app, 'bob');
  const aliceId = (await store.users.byUsername('alice'))!.id;
  const bobId = (await store.users.byUsername('bob'))!.id;
  await store.users.updateProfile(aliceId, { ...profileOf((await store.users.byId(aliceId))!), fullname: 'Alice', initials: 'A', timeZone: 'Europe/Helsinki' });
  const token = await tokenOf(app, 'alice');

  const page = await preview(alice, '', 'Team_tasks.csv', fixture('cards.csv'));
  t.equal(page.status, 200);
  t.match(page.text, 'CSV or tab-separated cards');
  t.match(page.text, '2 lists, 1 swimlane, 3 cards, 2 labels');
  t.match(page.text, 'These columns are not imported: Estimate.');
  t.equal(page.$('input#title').attr('value'), 'Team tasks', 'the title comes from the file\'s name');
  t.equal((await validateHtml(page.body, 'import-preview-csv')).valid, true);
  const made = await alice.submit(page, '/import/confirm', { title: 'Q1 tasks' });
  t.equal(made.status, 200);
  const board = await exported(app, token, made.url.split('/')[2]!);
  t.equal(board.title, 'Q1 tasks', 'the title as changed on the preview');
  t.same(board.lists.map((l) => [l.title, l.sort]), [['Doing', 0], ['To do', 1]]);
  const card = (title: string) => board.cards.find((c) => c.title === title)!;
  t.match(card('Write the report'), {
    description: 'First draft, then "review"', color: 'red', userId: aliceId, assignees: [aliceId],
    dueAt: '2031-03-31T20:59:00.000Z', // 23:59 in Helsinki (UTC+3 in summer time)
    startAt: '2031-03-01T07:30:00.000Z', createdAt: '2031-02-01T08:00:00.000Z',
  });
  t.same((card('Write the report').members as string[]).sort(), [aliceId, bobId].sort());
  t.same((card('Write the report').labelIds as string[]).map((id) => board.labels.find((l) => l._id === id)?.name).sort(), ['paper', 'urgent']);
  t.same(board.labels.map((l) => [l.name, l.color]), [['urgent', 'red'], ['paper', 'blue']]);
  t.equal(card('Book the room').dueAt, '2031-12-24T21:59:00.000Z', '24.12.2031 is a European date');
  t.equal(card('Order pizza').dueAt, '2031-12-24T16:00:00.000Z', '12/24/2031 18:00 is a US one, with a time');
  t.equal(card('Order pizza').userId, aliceId, 'no owner: the importer');

  const boards = await store.sql.value('SELECT count(*) FROM boards');
  const bad = await preview(alice, 'csv', 'bad.csv', fixture('cards-bad.csv'));
  t.equal(bad.status, 422);
  t.match(bad.text, 'Line 3: due date "next week" is not a date');
  t.match(bad.text, 'Line 4: the card has no title.');
  t.match(bad.text, 'Line 5: due date "2031-02-30" is not a date');
  t.notMatch(bad.text, 'Line 2', 'the good line is not blamed');
  t.equal((await validateHtml(bad.body, 'import-csv-422')).valid, true);
  const noTitle = await preview(alice, 'csv', 'x.csv', 'name;stage\nA;B\n');
  t.equal(noTitle.status, 200, '"name" is a title column too, and ";" separates');
  const unreadable = await preview(alice, 'csv', 'x.csv', 'status,owner\nDone,bob\n');
  t.equal(unreadable.status, 422);
  t.match(unreadable.text, 'Line 1 names no title column (it has: status, owner)');
  const quotes = await preview(alice, 'csv', 'x.csv', 'title,stage\n"never closed,To do\n');
  t.equal(quotes.status, 422);
  t.match(quotes.text, /Line \d+: /);
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), boards, 'nothing was made by the bad files');

  // by the API: the file's text, tab-separated this time
  const api = await app.inject({ method: 'POST', url: '/api/boards/import', headers: { authorization: `Bearer ${token}` },
    payload: { board: fixture('cards.tsv').toString(), importSource: 'csv', title: 'From a script' } });
  t.equal(api.statusCode, 200);
  const tabbed = await exported(app, token, (api.json() as { _id: string })._id);
  t.match(tabbed, { title: 'From a script', lists: [{ title: 'Done' }], cards: [{ title: 'Tabbed card', dueAt: '2031-01-02T21:59:00.000Z' }] });
  const apiBad = await app.inject({ method: 'POST', url: '/api/boards/import',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `importSource=csv&board=${encodeURIComponent(fixture('cards-bad.csv').toString())}` });
  t.equal(apiBad.statusCode, 422, 'form-encoded, as WeKan\'s Python client writes');
  t.match((apiBad.json() as { reason: string }).reason, 'Line 3: due date "next week" is not a date');
  t.equal((await app.inject({ method: 'POST', url: '/api/boards/import', headers: { authorization: `Bearer ${token}` },
    payload: { board: 'title\nx\n', importSource: 'excel' } })).statusCode, 422, 'an unknown importSource');
});

t.test('an old WeKan export (no rules, no isNoComments, no attachments) imports whole', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const token = await tokenOf(app, 'alice');
  const answer = await app.inject({ method: 'POST', url: '/api/boards/import', headers: { authorization: `Bearer ${token}` },
    payload: { board: fixture('wekan-old.json').toString() } });
  t.equal(answer.statusCode, 200);
  const board = await exported(app, token, (answer.json() as { _id: string })._id);
  const aliceId = (await store.users.byUsername('alice'))!.id;
  t.match(board, { title: 'An export from 2018', color: 'nephritis', labels: [{ _id: 'aB3dE5', name: 'Bug', color: 'red' }] });
  t.match(board.cards, [{ title: 'Crash on save', labelIds: ['aB3dE5'], userId: aliceId, members: [aliceId], dueAt: '2019-01-15T00:00:00.000Z', createdAt: '2018-11-01T12:00:00.000Z' }]);
  t.match(board.comments, [{ text: 'Seen it too', userId: aliceId, createdAt: '2018-11-02T12:00:00.000Z' }]);
  t.match(board.checklistItems, [{ title: 'Reproduce', isFinished: true }]);
});

t.test('a 500 MB import is refused with 413 before it is read, by the page and by the API', async (t) => {
  const { app, url, store } = await listenApp(t);
  const alice = await signUp(app, 'alice');
  const token = await tokenOf(app, 'alice');
  /** Sends only the headers of a 500 MB body and answers what the server says before any of it. */
  const headersOnly = (path: string, headers: string) => new Promise<string>((resolve, reject) => {
    const socket = net.connect(new URL(url).port as unknown as number, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString('latin1'); });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(`POST ${path} HTTP/1.1\r\nHost: wami.test\r\nContent-Length: ${500 * 1024 * 1024}\r\n${headers}\r\n`);
    setTimeout(() => socket.end(), 3000);
  });
  const page = await headersOnly('/import', `Content-Type: multipart/form-data; boundary=x\r\nCookie: ${alice.cookieHeader()}\r\n`);
  t.match(page, /^HTTP\/1\.1 413 /);
  t.match(page, /Connection: close/i);
  t.match(page, 'Import files may be at most 128');
  const api = await headersOnly('/api/boards/import', `Content-Type: application/json\r\nAuthorization: Bearer ${token}\r\n`);
  t.match(api, /^HTTP\/1\.1 413 /);
  t.match(api, '"statusCode":413');
  t.equal(await store.sql.value('SELECT count(*) FROM boards'), 0);
});
