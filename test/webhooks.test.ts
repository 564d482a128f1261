// Outgoing webhooks: a board's admins add a URL through the API; every change to the board is POSTed
// there as WeKan's JSON, from a queue kept in the database: in order, retried with growing waits,
// kept through a restart, never holding up the request that made the change.
import t, { type Test } from 'tap';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { Store, type SqliteStore } from '../server/store/index.js';
import { isPrivateAddress, publicLookup } from '../server/webhooks/addresses.js';
import { ATTEMPTS } from '../server/background/queue-runner.js';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';
import { until } from './helpers/wait.js';

interface Received { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }

/** A webhook receiver on loopback: records what arrives; `answer` decides each status (or holds the answer). */
async function receiver(t: Test, answer: (nth: number) => number | Promise<number> = () => 200) {
  const received: Received[] = [];
  let tries = 0;
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => { text += chunk; });
    request.on('end', async () => {
      const status = await answer(++tries);
      if (status === 200) received.push({ headers: request.headers, body: JSON.parse(text) as Record<string, unknown> });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as { port: number }).port;
  return { received, url: `http://127.0.0.1:${port}/hook`, port, tries: () => tries, server };
}

async function apiAs(app: FastifyInstance, username: string) {
  const { token } = (await app.inject({ method: 'POST', url: '/users/login', payload: { username, password: 'correct horse battery' } })).json() as { token: string };
  return (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });
}

/** A board with two lists; answers its id and the lists'. */
async function board(api: Awaited<ReturnType<typeof apiAs>>) {
  const boardId = ((await api('POST', '/api/boards', { title: 'Hooked' })).json() as { _id: string })._id;
  const todo = ((await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' })).json() as { _id: string })._id;
  const done = ((await api('POST', `/api/boards/${boardId}/lists`, { title: 'Done' })).json() as { _id: string })._id;
  return { boardId, todo, done };
}

/** Deliveries still in the queue (waiting or failed). */
const queued = async (store: SqliteStore) => await store.sql.value("SELECT count(*) FROM webhook_deliveries WHERE failed_at IS NULL") as number;

const env = { WAMI_WEBHOOK_PRIVATE: 'true', WAMI_WEBHOOK_RETRY_MS: '1' };

t.test('changes arrive as WeKan\'s JSON, in order, with the token; board admins manage them', async (t) => {
  const { app, store } = await startApp(t, env);
  await signUp(app, 'alice');
  await signUp(app, 'bob');
  const api = await apiAs(app, 'alice');
  const bob = await apiAs(app, 'bob');
  const hook = await receiver(t);
  const { boardId, todo, done } = await board(api);
  const made = await api('POST', `/api/boards/${boardId}/integrations`, { url: hook.url, title: 'Chat', token: 's3cret' });
  t.equal(made.statusCode, 200);
  const integrationId = (made.json() as { _id: string })._id;

  const cardId = ((await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'Ship it' })).json() as { _id: string })._id;
  await api('PUT', `/api/boards/${boardId}/lists/${todo}/cards/${cardId}`, { listId: done });
  await api('POST', `/api/boards/${boardId}/cards/${cardId}/comments`, { comment: 'Shipped!' });
  await until(() => hook.received.length >= 3);
  const [created, moved, commented] = hook.received.map((r) => r.body);
  t.match(created, { description: 'act-createCard', boardId, board: 'Hooked', cardId, card: 'Ship it', listId: todo, user: 'alice' });
  t.match(created!.text, /^alice added the card to To do: "Ship it" on Hooked\n\/b\/\w+\/hooked\/\w+$/);
  t.match(moved, { description: 'act-moveCard', cardId, listId: done, oldListId: todo });
  t.match(moved!.text, 'alice moved the card from To do to Done');
  t.match(commented, { description: 'act-addComment', comment: 'Shipped!', cardId });
  t.equal(hook.received[0]!.headers['x-wekan-token'], 's3cret');
  t.equal(hook.received[0]!.headers['content-type'], 'application/json; charset=utf-8');
  // the receiver has the body before its answer reaches the sender, which only then drops the delivery
  await until(async () => (await queued(store)) === 0);
  t.equal(await queued(store), 0, 'delivered ones leave the queue');

  const listed = (await api('GET', `/api/boards/${boardId}/integrations`)).json() as Record<string, unknown>[];
  t.match(listed, [{ _id: integrationId, type: 'outgoing-webhooks', url: hook.url, title: 'Chat', enabled: true, deliveries: { waiting: 0, failed: 0 } }]);
  t.equal((await bob('GET', `/api/boards/${boardId}/integrations`)).statusCode, 404, 'not bob\'s board');
  await api('POST', `/api/boards/${boardId}/members/${(await store.users.byUsername('bob'))!.id}/add`, { isAdmin: false });
  t.equal((await bob('POST', `/api/boards/${boardId}/integrations`, { url: hook.url })).statusCode, 403, 'members who are not admins may not');
  t.equal((await api('POST', `/api/boards/${boardId}/integrations`, { url: 'ftp://example.org/x' })).statusCode, 422);
  t.equal((await api('POST', `/api/boards/${boardId}/integrations`, { url: 'not a url' })).statusCode, 422);

  t.equal((await api('PUT', `/api/boards/${boardId}/integrations/${integrationId}`, { enabled: 'false' })).statusCode, 200);
  await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'Quiet' });
  t.equal(await store.sql.value('SELECT count(*) FROM webhook_deliveries'), 0, 'a disabled integration queues nothing');
  t.equal((await api('DELETE', `/api/boards/${boardId}/integrations/${integrationId}`)).statusCode, 200);
  t.equal((await api('GET', `/api/boards/${boardId}/integrations/${integrationId}`)).statusCode, 404);
});

t.test('a slow receiver never holds up the request; a failing one is retried in order, then given up', async (t) => {
  const { app, store } = await startApp(t, env);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  let release: () => void = () => undefined;
  const held = new Promise<number>((resolve) => { release = () => resolve(200); });
  const slow = await receiver(t, (nth) => (nth === 1 ? held : 200));
  const { boardId, todo } = await board(api);
  await api('POST', `/api/boards/${boardId}/integrations`, { url: slow.url });
  const answered = await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'First' });
  t.equal(answered.statusCode, 200, 'the card is made and answered');
  await until(() => slow.tries() === 1);
  t.equal(slow.received.length, 0, 'while the receiver still holds the webhook');
  await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'Second' });
  release();
  await until(() => slow.received.length === 2);
  t.same(slow.received.map((r) => r.body.card), ['First', 'Second'], 'in order');

  // 500, 500, then 200: the same delivery three times, and what came after it only then
  const flaky = await receiver(t, (nth) => (nth <= 2 ? 500 : 200));
  const other = await board(api);
  await api('POST', `/api/boards/${other.boardId}/integrations`, { url: flaky.url });
  await api('POST', `/api/boards/${other.boardId}/lists/${other.todo}/cards`, { title: 'A' });
  await api('POST', `/api/boards/${other.boardId}/lists/${other.todo}/cards`, { title: 'B' });
  await until(() => flaky.received.length === 2);
  t.equal(flaky.tries(), 4);
  t.same(flaky.received.map((r) => r.body.card), ['A', 'B']);

  // always 500: given up after the last attempt, kept as failed, and the next one goes
  let failing = true;
  const down = await receiver(t, () => (failing ? 503 : 200));
  const third = await board(api);
  await store.sql.run('UPDATE integrations SET enabled = 0');
  const hookId = ((await api('POST', `/api/boards/${third.boardId}/integrations`, { url: down.url })).json() as { _id: string })._id;
  await api('POST', `/api/boards/${third.boardId}/lists/${third.todo}/cards`, { title: 'Lost cause' });
  await until(() => down.tries() === ATTEMPTS, 20_000);
  failing = false;
  await api('POST', `/api/boards/${third.boardId}/lists/${third.todo}/cards`, { title: 'Next' });
  await until(async () => down.received.length === 1 && (await queued(store)) === 0);
  t.equal(down.received[0]!.body.card, 'Next');
  const state = (await api('GET', `/api/boards/${third.boardId}/integrations/${hookId}`)).json() as { deliveries: Record<string, unknown> };
  t.match(state.deliveries, { waiting: 0, failed: 1, lastError: 'the receiver answered 503' });
});

t.test('deliveries wait in the database through a restart', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-hooks-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const start = async () => {
    const store = Store.open(dataDir);
    const app = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false', ...env, WAMI_WEBHOOK_RETRY_MS: '3600000' }), store });
    await app.ready();
    return { app, store };
  };
  let { app, store } = await start();
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const hook = await receiver(t, () => 500); // down for now
  const { boardId, todo } = await board(api);
  await api('POST', `/api/boards/${boardId}/integrations`, { url: hook.url });
  await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'Told after the restart' });
  await until(() => hook.tries() === 1);
  await app.close();
  store.close();
  hook.server.removeAllListeners('request');
  const after: Received[] = [];
  hook.server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    let text = '';
    request.on('data', (c) => { text += c; }).on('end', () => {
      after.push({ headers: request.headers, body: JSON.parse(text) as Record<string, unknown> });
      response.writeHead(200).end();
    });
  });
  ({ app, store } = await start());
  t.teardown(async () => { await app.close(); store.close(); });
  // the next retry would be an hour away: a restart tries what waits at once
  await until(() => after.length === 1);
  t.equal(after[0]!.body.card, 'Told after the restart');
});

t.test('two instances on one database send each change once, in order', async (t) => {
  const { app, store, config, reopen } = await startApp(t, env);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  let release = () => {};
  const released = new Promise<void>((resolve) => { release = resolve; });
  const hook = await receiver(t, async () => { await released; return 200; });
  const { boardId, todo } = await board(api);
  await api('POST', `/api/boards/${boardId}/integrations`, { url: hook.url });
  await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: 'First' });
  await until(() => hook.tries() === 1); // this instance's sender is sending it, its answer held

  // A second instance starts on the same database: its sender looks at the queue at once.
  const other = await buildApp({ config: { ...config }, store: await reopen() });
  t.teardown(() => other.close());
  await other.ready();
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(hook.tries(), 1, 'the other instance leaves alone the delivery being sent');
  release();
  const otherApi = await apiAs(other, 'alice');
  for (let i = 0; i < 5; i++) {
    await api('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: `From the first ${i}` });
    await otherApi('POST', `/api/boards/${boardId}/lists/${todo}/cards`, { title: `From the second ${i}` });
  }
  await until(async () => await queued(store) === 0);
  const ids = hook.received.map((r) => Number(r.headers['x-wami-delivery']));
  t.equal(ids.length, 11, 'every change arrived');
  t.equal(new Set(ids).size, ids.length, 'each once');
  t.same(ids, [...ids].sort((a, b) => a - b), 'in the order they were made');
  t.equal(hook.tries(), 11, 'and no delivery was tried twice');
});

t.test('webhooks into private networks are refused unless the operator allows them', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const { boardId } = await board(api);
  for (const url of ['http://127.0.0.1:8080/x', 'http://localhost/x', 'http://[::1]/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest']) {
    const refused = await api('POST', `/api/boards/${boardId}/integrations`, { url });
    t.equal(refused.statusCode, 422, url);
    t.match((refused.json() as { reason: string }).reason, 'private network');
  }
  t.equal((await api('POST', `/api/boards/${boardId}/integrations`, { url: 'https://chat.example.org/hooks/abc' })).statusCode, 200);
  t.ok(isPrivateAddress('::ffff:192.168.1.5'));
  t.notOk(isPrivateAddress('93.184.216.34'));
  const looked = await new Promise<Error | null>((resolve) => publicLookup('localhost', {}, (error) => resolve(error)));
  t.match(looked, { code: 'EPRIVATE' }, 'a name that resolves into the LAN is refused when the request is made');
});

t.test('the webhooks page: add, see the queue, turn off and on, delete; board admins only', async (t) => {
  const { app, store } = await startApp(t, env);
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  let page = await createBoard(alice, 'Hooked');
  const path = boardPath(page);
  const boardId = path.split('/')[2]!;
  const settings = await alice.get(`${path}/settings`);
  t.equal(settings.$(`a[href="${path}/integrations"]`).text(), 'Webhooks', 'linked from the settings page');
  page = await alice.get(`${path}/integrations`);
  t.match(page.text, 'No webhooks yet.');
  t.equal((await validateHtml(page.body, 'integrations')).valid, true);
  const refused = await alice.submit(page, '/integrations', { url: 'gopher://old.example/', title: 'Old' });
  t.equal(refused.status, 422);
  t.match(refused.text, 'must start with http:// or https://');
  t.equal(refused.$('input#title').attr('value'), 'Old', 'the form as typed');
  t.equal((await validateHtml(refused.body, 'integrations-422')).valid, true);
  const hook = await receiver(t, () => 500);
  page = await alice.submit(page, '/integrations', { url: hook.url, title: 'Team chat', token: 'abc' });
  t.equal(page.status, 200);
  t.match(page.text, 'Team chat');
  const hookId = (await store.integrations.forBoard(boardId))[0]!.id;
  await alice.submit(await alice.get(path), '/lists', { title: 'Ideas' });
  await until(() => hook.tries() >= 1);
  await until(async () => (await store.integrations.deliveryState(hookId)).lastError !== null);
  page = await alice.get(`${path}/integrations`);
  t.match(page.text, 'Last error: the receiver answered 500');
  t.equal((await validateHtml(page.body, 'integrations-listed')).valid, true);
  page = await alice.submit(page, `/integrations/${hookId}`, {}, undefined);
  t.equal((await store.integrations.byId(boardId, hookId))!.enabled, 0, 'turned off');
  t.equal(page.$(`form[action$="/integrations/${hookId}"] input[type=submit]`).attr('value'), 'Turn on');
  page = await alice.submit(page, `/integrations/${hookId}`);
  t.equal((await store.integrations.byId(boardId, hookId))!.enabled, 1, 'and on again');

  await alice.submit(await alice.get(`${path}/members`), '/members', { username: 'bob', role: 'normal' });
  t.equal((await bob.get(`${path}/integrations`)).status, 403, 'a normal member may not');
  await alice.submit(page, `/integrations/${hookId}/delete`);
  t.equal((await store.integrations.forBoard(boardId)).length, 0);
  t.equal(await store.sql.value('SELECT count(*) FROM webhook_deliveries'), 0, 'its queue went with it');
});
