// One whole session of a WeKan 11 script against Wami, route by route in the order a person would use
// them (docs/api-wekan11.md): log in, build a board, work it through copies and moves, cards, bulk calls,
// dependencies, attachments, members and roles, domains, card and site settings, then export it and
// import it back. Every answer is checked as the script would read it.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { signUp } from './helpers/browser.js';

t.test('a WeKan 11 client session, start to end', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'admin'); // the first account: site admin
  await signUp(app, 'worker bee'); // WeKan takes usernames with blanks
  const login = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'admin', password: 'correct horse battery' } });
  t.equal(login.statusCode, 200);
  const { token, id: adminId } = login.json() as { token: string; id: string };
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, status = 200) => {
    const response = await app.inject({ method, url, payload: payload === undefined ? undefined : JSON.stringify(payload),
      headers: { authorization: `Bearer ${token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) } });
    t.equal(response.statusCode, status, `${method} ${url} ${response.statusCode === status ? '' : response.body.slice(0, 200)}`);
    return response.json() as Record<string, unknown> & unknown[];
  };
  const id = (answer: Record<string, unknown>) => answer._id as string;

  t.match(await call('GET', '/api/user'), { username: 'admin' });
  const board = await call('POST', '/api/boards', { title: 'Release 3', owner: adminId });
  const b = id(board);
  const lane = board.defaultSwimlaneId as string;
  const todo = id(await call('POST', `/api/boards/${b}/lists`, { title: 'To do' }));
  const done = id(await call('POST', `/api/boards/${b}/lists`, { title: 'Done' }));
  await call('PUT', `/api/boards/${b}/lists/${todo}`, { title: 'Backlog', color: 'sky' });
  const urgent = await call('PUT', `/api/boards/${b}/labels`, { label: { name: 'Urgent', color: 'red' } }) as unknown as string;
  const bee = (await store.users.byUsername('worker bee'))!.id;
  await call('POST', `/api/boards/${b}/members/${bee}/add`, { action: 'add', isNormalAssignedOnly: true });

  // cards: create, dates set and cleared, people, labels, complete, archive and restore, copy
  const card = id(await call('POST', `/api/boards/${b}/lists/${todo}/cards`, { title: 'Write notes', swimlaneId: lane, labelIds: [urgent] }));
  await call('PUT', `/api/boards/${b}/lists/${todo}/cards/${card}`, { dueAt: '2031-01-01T10:00:00Z', startAt: '2030-12-01', dueComplete: true });
  await call('PUT', `/api/boards/${b}/lists/${todo}/cards/${card}`, { startAt: '' });
  t.match(await call('GET', `/api/boards/${b}/lists/${todo}/cards/${card}`), { dueAt: '2031-01-01T10:00:00.000Z', startAt: null, dueComplete: true });
  t.match(await call('POST', `/api/boards/${b}/lists/${todo}/cards/${card}/assignees/${bee}`), { assignees: [bee] });
  await call('POST', `/api/boards/${b}/lists/${todo}/cards/${card}/archive`);
  await call('POST', `/api/boards/${b}/lists/${todo}/cards/${card}/unarchive`);
  const copy = id(await call('POST', `/api/boards/${b}/lists/${todo}/cards/${card}/copy`, { toListId: done, toSwimlaneId: lane, position: 0 }));
  await call('PUT', `/api/boards/${b}/lists/${todo}/cards/${card}`, { newBoardId: b, newListId: done }); // WeKan's client moving a card
  t.same((await call('GET', `/api/boards/${b}/lists/${done}/cards`)).map((c) => (c as { _id: string })._id), [copy, card]);

  // bulk
  const made = await call('POST', `/api/boards/${b}/lists/${todo}/cards/bulk`, { swimlaneId: lane, cards: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] });
  const bulk = made.map((m) => (m as { _id: string })._id);
  t.match(await call('POST', `/api/boards/${b}/cards/labels`, { cardIds: bulk, addLabelIds: [urgent] }), { notFound: [] });
  t.match(await call('DELETE', `/api/boards/${b}/cards/bulk`, { cardIds: [bulk[2]] }), { deleted: [bulk[2]] });

  // dependencies
  await call('POST', `/api/boards/${b}/cards/${bulk[0]}/dependencies`, { cardId: card, type: 'is-blocked-by' });
  await call('PUT', `/api/boards/${b}/cards/${bulk[0]}/dependencies/${card}`, { color: '#00ff00' });
  t.match(await call('GET', `/api/boards/${b}/dependencies`), [{ from: bulk[0], to: card, type: 'is-blocked-by', color: '#00ff00' }]);

  // attachments
  const upload = await call('POST', '/api/attachment/upload', { boardId: b, swimlaneId: lane, listId: done, cardId: card, fileName: 'notes.txt',
    fileType: 'text/plain', fileData: Buffer.from('the notes').toString('base64') });
  const attachmentId = upload.attachmentId as string;
  t.equal(Buffer.from((await call('GET', `/api/attachment/download/${attachmentId}`)).base64Data as string, 'base64').toString(), 'the notes');
  t.match(await call('GET', `/api/attachment/list/${b}/${lane}/${done}/${card}`), { count: 1 });
  await call('POST', '/api/attachment/copy', { attachmentId, targetBoardId: b, targetSwimlaneId: lane, targetListId: done, targetCardId: copy });
  t.match(await call('GET', `/api/attachment/info/${attachmentId}`), { fileName: 'notes.txt', cardId: card });

  // lists and swimlanes: copy and move, within the board and to another
  const second = id(await call('POST', `/api/boards/${b}/swimlanes`, { title: 'Later' }));
  const copiedList = id(await call('POST', `/api/boards/${b}/lists/${done}/copy`, { position: 0 }));
  t.equal(((await call('GET', `/api/boards/${b}/lists`))[0] as { _id: string })._id, copiedList);
  const other = id(await call('POST', '/api/boards', { title: 'Archive board' }));
  await call('POST', `/api/boards/${b}/lists/${copiedList}/move`, { toBoardId: other });
  await call('POST', `/api/boards/${b}/swimlanes/${second}/copy`, { title: 'Later, again' });
  await call('POST', `/api/boards/${b}/swimlanes/${second}/move`, { toBoardId: other, position: 0 });
  t.match(await call('GET', `/api/boards/${other}/lists/${copiedList}/cards_count`), { list_cards_count: 2 });

  // members, roles, domains, card and site settings, custom fields by value
  await call('POST', `/api/boards/${b}/members/${bee}`, { isReadOnly: true });
  const members = (await call('GET', `/api/boards/${b}`)).members as { userId: string }[];
  t.match(members.find((m) => m.userId === bee), { isReadOnly: true, isAdmin: false });
  t.match(members.find((m) => m.userId === adminId), { isAdmin: true });
  t.same(await call('POST', `/api/boards/${b}/domains`, { domain: 'partner.example' }), [{ domain: 'partner.example', isActive: true }]);
  t.match(await call('PUT', `/api/boards/${b}/cardSettings`, { allowsLabelsOnMinicard: false, cardAging: true }), { cardAging: true });
  t.match(await call('PUT', '/api/settings', { productName: 'Team Wami' }), { productName: 'Team Wami' });
  const field = id(await call('POST', `/api/boards/${b}/custom-fields`, { name: 'Size', type: 'text' }));
  await call('POST', `/api/boards/${b}/lists/${done}/cards/${card}/customFields/${field}`, { value: 'XL' });
  t.match(await call('GET', `/api/boards/${b}/cardsByCustomField/${field}/XL`), [{ _id: card }]);
  t.match(await call('GET', '/api/user/cards'), []);
  await call('POST', `/api/boards/${b}/rules`, { title: 'later' }, 501);

  // export, and the export imported back as a new board
  const exported = await call('GET', `/api/boards/${b}/export`);
  t.match(exported, { title: 'Release 3', cardAging: true });
  t.match((exported.members as { userId: string }[]).find((m) => m.userId === bee), { isReadOnly: true }, 'the role goes along, in any order');
  const imported = await call('POST', '/api/boards/import/wekan', { board: exported, membersMapping: { [adminId]: adminId, [bee]: bee } });
  const copyBoard = id(imported);
  t.match(await call('GET', `/api/boards/${copyBoard}/cards_count`), { board_cards_count: 4 });
  t.match(await call('GET', `/api/boards/${copyBoard}/dependencies`), [{ type: 'is-blocked-by', fromTitle: 'A', toTitle: 'Write notes' }]);
  t.match(await call('GET', `/api/boards/${copyBoard}/cardSettings`), { cardAging: true, allowsLabelsOnMinicard: false });
  t.equal((await store.attachments.forBoard(copyBoard)).length, 2, 'the files came along');
});
