// Step 12's small leaks: private IPv6 forms in webhook URLs, JSON answers without nosniff, lone
// surrogates stored and exported as JSON that strict parsers refuse, and no cap on webhooks per board.
import t from 'tap';
import { MAX } from '../server/limits.js';
import { isPrivateAddress } from '../server/webhooks/addresses.js';
import { startApp } from './helpers/app.js';
import { apiAs, idOf } from './helpers/api.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

t.test('IPv6 spellings of loopback and private IPv4 addresses are refused as webhook URLs', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const boardId = idOf(await api('POST', '/api/boards', { title: 'Hooks' }));
  const private6 = ['::7f00:1', '::127.0.0.1', '::ffff:0:7f00:1', '64:ff9b::7f00:1', '64:ff9b::a01:203', '::ffff:7f00:1',
    '::ffff:a9fe:a9fe', '2002:7f00:1::1', '2002:c0a8:105::', '64:ff9b:1::808:808', '2001::1', 'fec0::1', '::'];
  for (const address of private6) {
    t.ok(isPrivateAddress(address), `${address} is not public`);
    const refused = await api('POST', `/api/boards/${boardId}/integrations`, { url: `http://[${address}]:8080/hook` });
    t.equal(refused.statusCode, 422, `http://[${address}]/ is refused`);
  }
  for (const address of ['2606:4700:4700::1111', '64:ff9b::808:808', '2002:808:808::1', '::ffff:8.8.8.8', '93.184.216.34']) {
    t.notOk(isPrivateAddress(address), `${address} (public) is not refused`);
  }
  t.ok(isPrivateAddress('203.0.113.7'), 'documentation ranges are not public either');
});

t.test('every JSON answer says nosniff, errors included', async (t) => {
  const { app } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  for (const [what, response] of [
    ['an answer', await api('GET', '/api/user')],
    ['a 404', await api('GET', '/api/boards/nothing-here')],
    ['a 401', await app.inject({ url: '/api/user' })],
    ['a login', await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'wrong one' } })],
    ['the health check', await app.inject({ url: '/healthz' })],
  ] as const) {
    t.equal(response.headers['x-content-type-options'], 'nosniff', `${what} (${response.statusCode})`);
  }
});

t.test('a lone surrogate sent in JSON is stored as U+FFFD: answers and exports stay valid UTF-8 JSON', async (t) => {
  const { app, store } = await startApp(t);
  await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  // written by hand: JSON.stringify would escape the surrogate the same way, but this is what a script sends
  const made = await api('POST', '/api/boards', '{"title": "Plan \\ud800 A \\udfff\\ud83d\\ude00"}');
  t.equal(made.statusCode, 200);
  const boardId = idOf(made);
  t.equal((await store.boards.byId(boardId))!.title, 'Plan \ufffd A \ufffd\u{1f600}', 'halves replaced, a whole pair kept');
  const listId = idOf(await api('POST', `/api/boards/${boardId}/lists`, '{"title": "\\udc00"}'));
  await api('POST', `/api/boards/${boardId}/lists/${listId}/cards`, '{"title": "x", "description": "half \\ud83d", "\\ud800key": 1}');
  const exported = await api('GET', `/api/boards/${boardId}/export`);
  t.equal(exported.statusCode, 200);
  const strict = new TextDecoder('utf-8', { fatal: true }).decode(exported.rawPayload);
  t.notOk(/\\u[dD][89a-fA-F]/.test(strict.replace(/\\ud83d\\ude00/g, '')), 'no escaped half pair in the export');
  const board = JSON.parse(strict) as { title: string; cards: { description: string }[] };
  t.equal(board.title, 'Plan \ufffd A \ufffd\u{1f600}');
  t.equal(board.cards[0]!.description, 'half \ufffd');

  // an import through the API (its body is read as a stream), and one whose export is text over 1 MB
  const withHalves = strict.replace('"title":"Plan', '"title":"\\udfffPlan');
  const imported = await api('POST', '/api/boards/import', `{"board": ${withHalves}}`);
  t.equal(imported.statusCode, 200);
  t.equal((await store.boards.byId(idOf(imported)))!.title, '\ufffdPlan \ufffd A \ufffd\u{1f600}', 'an imported half pair is replaced too');
  const padded = JSON.stringify({ ...JSON.parse(withHalves) as object, description: 'x'.repeat(1_100_000) });
  const big = await api('POST', '/api/boards/import', { board: padded });
  t.equal(big.statusCode, 200, 'an export given as text over 1 MB (parsed as a stream)');
  t.equal((await store.boards.byId(idOf(big)))!.title, '\ufffdPlan \ufffd A \ufffd\u{1f600}');
});

t.test(`a board has at most ${MAX.webhooksPerBoard} webhooks: the API and the page refuse one more with the reason`, async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const api = await apiAs(app, 'alice');
  const page = await createBoard(alice, 'Busy');
  const boardId = boardPath(page).split('/')[2]!;
  for (let i = 0; i < MAX.webhooksPerBoard; i++) {
    t.equal((await api('POST', `/api/boards/${boardId}/integrations`, { url: `https://chat.example.org/hook/${i}` })).statusCode, 200);
  }
  const refused = await api('POST', `/api/boards/${boardId}/integrations`, { url: 'https://chat.example.org/one-more' });
  t.equal(refused.statusCode, 422);
  t.match(refused.json(), { error: 'invalid', reason: `This board has ${MAX.webhooksPerBoard} webhooks, the most one board may have` });
  const form = await alice.get(`${boardPath(page)}/integrations`);
  const onPage = await alice.submit(form, `${boardPath(page)}/integrations`, { url: 'https://chat.example.org/by-hand' });
  t.equal(onPage.status, 422);
  t.match(onPage.text, 'the most one board may have: delete one before adding another');
  t.ok((await validateHtml(onPage.body, 'integrations-full')).valid);
  t.equal(await store.sql.value('SELECT count(*) FROM integrations'), MAX.webhooksPerBoard, 'nothing past the limit was stored');
});
