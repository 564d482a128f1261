// WeKan 11's attachment API as api.py drives it: upload in JSON with base64 (and multipart), download
// as WeKan's JSON or as raw bytes with ranges, info, lists, copy, move and delete; ids that disagree,
// other people's boards and files past the limits change nothing and leave no file behind.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { startApp } from './helpers/app.js';
import { apiAs, bearerFor, idOf, type Api } from './helpers/api.js';
import { storedAndTempFiles } from './helpers/files.js';
import { signUp } from './helpers/browser.js';
import { multipart } from './helpers/multipart.js';

async function board(api: Api, title = 'Files') {
  const made = await api('POST', '/api/boards', { title });
  const boardId = idOf(made);
  const swimlaneId = (made.json() as { defaultSwimlaneId: string }).defaultSwimlaneId;
  const listId = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' }));
  const cardId = idOf(await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'Report', swimlaneId }));
  return { boardId, swimlaneId, listId, cardId };
}


t.test('upload as api.py does, then download, info, list, copy, move and delete', async (t) => {
  const { app, store, dataDir } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  const other = await board(api, 'Other');
  const content = randomBytes(200_001);
  const uploaded = await api('POST', '/api/attachment/upload', JSON.stringify({
    ...b, fileData: content.toString('base64'), fileName: 'figures.bin', fileType: 'application/octet-stream',
  }));
  t.equal(uploaded.statusCode, 200, uploaded.body);
  const answer = uploaded.json() as { success: boolean; attachmentId: string; fileSize: number; fileName: string };
  t.match(answer, { success: true, fileName: 'figures.bin', fileSize: 200_001, storageBackend: 'fs' });
  const id = answer.attachmentId;
  t.equal((await store.attachments.forCard(b.cardId)).length, 1, 'on the card');

  const json = await api('GET', `/api/attachment/download/${id}`);
  t.equal(json.statusCode, 200);
  const downloaded = json.json() as { base64Data: string; fileName: string; fileSize: number };
  t.ok(Buffer.from(downloaded.base64Data, 'base64').equals(content), 'the same bytes, in WeKan\'s JSON');
  t.equal(downloaded.fileSize, 200_001);

  const raw = await app.inject({ method: 'GET', url: `/api/attachment/download/${id}`,
    headers: { authorization: (await bearerFor(app, 'alice')), range: 'bytes=10-19' } });
  t.equal(raw.statusCode, 206, 'a Range asks for the bytes themselves');
  t.ok(raw.rawPayload.equals(content.subarray(10, 20)));

  const info = (await api('GET', `/api/attachment/info/${id}`)).json();
  t.match(info, { success: true, attachmentId: id, fileName: 'figures.bin', fileSize: 200_001, boardId: b.boardId,
    swimlaneId: b.swimlaneId, listId: b.listId, cardId: b.cardId, isImage: false, versions: [] });
  for (const url of [`/api/attachment/list/${b.boardId}`, `/api/attachment/list/${b.boardId}/${b.swimlaneId}/${b.listId}/${b.cardId}`,
    `/api/attachment/list/${b.boardId}/null/null/${b.cardId}`]) {
    t.match((await api('GET', url)).json(), { success: true, count: 1, attachments: [{ attachmentId: id }] }, url);
  }
  t.match((await api('GET', `/api/attachment/list/${b.boardId}/${b.swimlaneId}/${other.listId}`)).json(), { count: 0 });

  const target = { attachmentId: id, targetBoardId: other.boardId, targetSwimlaneId: other.swimlaneId, targetListId: other.listId, targetCardId: other.cardId };
  const copied = await api('POST', '/api/attachment/copy', target);
  t.equal(copied.statusCode, 200, copied.body);
  const copyId = (copied.json() as { newAttachmentId: string }).newAttachmentId;
  t.not(copyId, id);
  t.equal((await store.attachments.forCard(other.cardId)).length, 1, 'copied to the other card');
  const moved = await api('POST', '/api/attachment/move', { ...target });
  t.match(moved.json(), { success: true, sourceBoardId: b.boardId, targetBoardId: other.boardId });
  t.equal((await store.attachments.forCard(b.cardId)).length, 0, 'gone from the first card');
  t.equal((await store.attachments.forCard(other.cardId)).length, 2);
  t.equal(storedAndTempFiles(dataDir).length, 2, 'two files: the original and its copy');

  t.equal((await api('DELETE', `/api/attachment/delete/${copyId}`)).statusCode, 200);
  t.equal((await api('GET', `/api/attachment/info/${copyId}`)).statusCode, 404);
  t.equal(storedAndTempFiles(dataDir).length, 1, 'its file went with it');
});


t.test('a multipart upload with the same fields works too', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const b = await board(api);
  const { body, contentType } = multipart(Object.entries(b), [{ filename: 'notes.txt', content: 'hello', type: 'text/plain' }]);
  const uploaded = await app.inject({ method: 'POST', url: '/api/attachment/upload', payload: body,
    headers: { authorization: await bearerFor(app, 'alice'), 'content-type': contentType } });
  t.equal(uploaded.statusCode, 200, uploaded.body);
  const [attachment] = await store.attachments.forCard(b.cardId);
  t.match(attachment, { name: 'notes.txt', type: 'text/plain', size: 5 });
});

t.test('bad uploads and strangers are refused, and leave no file', async (t) => {
  const { app, store, dataDir } = await startApp(t, { WAMI_MAX_FILE_BYTES: '1000' });
  await signUp(app, 'alice');
  await signUp(app, 'mallory');
  const api = await apiAs(app, 'alice');
  const mallory = await apiAs(app, 'mallory');
  const b = await board(api);
  const theirs = await board(mallory, 'Mallory');
  const file = { fileData: Buffer.from('small file').toString('base64'), fileName: 'a.txt' };
  const cases: [Api, object | string, number][] = [
    [api, { ...b, ...file, listId: theirs.listId }, 404],
    [api, { ...b, ...file, cardId: theirs.cardId }, 404],
    [mallory, { ...b, ...file }, 404],
    [api, { ...b, fileName: 'a.txt' }, 400],
    [api, { ...b, ...file, fileName: '' }, 400],
    [api, { ...b, ...file, fileData: 'not base64 at all!' }, 400],
    [api, { ...b, fileName: 'big.bin', fileData: randomBytes(1001).toString('base64') }, 413],
    [api, `{"boardId": "${b.boardId}", "fileData": "aGVsbG8=", "fileName": `, 400],
  ];
  for (const [caller, body, status] of cases) {
    const refused = await caller('POST', '/api/attachment/upload', typeof body === 'string' ? body : JSON.stringify(body));
    t.equal(refused.statusCode, status, typeof body === 'string' ? body : Object.keys(body).join());
    t.match(refused.json(), { statusCode: status });
  }
  t.equal(await store.sql.value('SELECT count(*) FROM attachments'), 0, 'no row');
  t.same(storedAndTempFiles(dataDir), [], 'no file, not even in the temp folder');

  const ok = await api('POST', '/api/attachment/upload', JSON.stringify({ ...b, ...file }));
  const id = (ok.json() as { attachmentId: string }).attachmentId;
  t.equal((await mallory('GET', `/api/attachment/download/${id}`)).statusCode, 404, 'another board\'s file is not found');
  t.equal((await mallory('DELETE', `/api/attachment/delete/${id}`)).statusCode, 404);
  t.equal((await mallory('POST', '/api/attachment/copy', { attachmentId: id, targetBoardId: theirs.boardId,
    targetSwimlaneId: theirs.swimlaneId, targetListId: theirs.listId, targetCardId: theirs.cardId })).statusCode, 404,
  'nor copied away');
  t.equal((await api('POST', '/api/attachment/move', { attachmentId: id, targetBoardId: theirs.boardId,
    targetSwimlaneId: theirs.swimlaneId, targetListId: theirs.listId, targetCardId: theirs.cardId })).statusCode, 404,
  'nor moved to a board the mover cannot see');
  t.equal((await api('POST', '/api/attachment/move', { attachmentId: id })).statusCode, 400);
  t.equal(await store.sql.value('SELECT count(*) FROM attachments'), 1);
});
