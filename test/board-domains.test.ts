// Sharing a board with an e-mail domain (WeKan 11's board domains), by the API and the board settings
// page: everyone signed in with an address there sees the board as a visitor of a public board, finds it
// among their boards, and changes nothing; others still find nothing. And the site admin's API: global
// settings, accounts per domain, attachment settings.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { apiAs, idOf } from './helpers/api.js';
import { Browser, signUp } from './helpers/browser.js';

t.test('a board shared with a domain is seen by its people, and only seen', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice'); // the site admin
  const api = await apiAs(app, 'alice');
  // bob's account is made by the site admin: his address is known to be his
  t.equal((await api('POST', '/api/users', { username: 'bob', email: 'bob@Partner.Example', password: 'correct horse battery' })).statusCode, 200);
  const bob = new Browser(app);
  await bob.submit(await bob.get('/sign-in'), '/sign-in', { username: 'bob', password: 'correct horse battery' });
  await signUp(app, 'mallory');
  await store.sql.run("UPDATE users SET email = 'mallory@partner.example.evil' WHERE username = 'mallory'");
  const boardId = idOf(await api('POST', '/api/boards', { title: 'Shared plans' }));
  const listId = idOf(await api('POST', `/api/boards/${boardId}/lists`, { title: 'To do' }));
  const boardUrl = `/b/${boardId}/${(await store.boards.byId(boardId))!.slug}`;
  t.equal((await bob.get(boardUrl)).status, 404, 'private at first');

  const added = await api('POST', `/api/boards/${boardId}/domains`, { domain: '  Partner.EXAMPLE ' });
  t.equal(added.statusCode, 200, added.body);
  t.same(added.json(), [{ domain: 'partner.example', isActive: true }], 'trimmed and lower-cased, as WeKan');
  t.same((await api('POST', `/api/boards/${boardId}/domains`, { domain: 'partner.example' })).json(), [{ domain: 'partner.example', isActive: true }],
    'once only');
  for (const domain of ['bob@partner.example', 'localhost', 'a b.example', '%.example']) {
    t.equal((await api('POST', `/api/boards/${boardId}/domains`, { domain })).statusCode, 422, domain);
  }

  const seen = await bob.get(boardUrl);
  t.equal(seen.status, 200, 'bob\'s address is in the domain');
  t.match(seen.text, 'you are visitor');
  t.match((await bob.get('/')).$('table.boards').text(), 'Shared plans', 'among his boards');
  const bobApi = await apiAs(app, 'bob');
  t.equal((await bobApi('POST', `/api/boards/${boardId}/lists/${listId}/cards`, { title: 'Mine' })).statusCode, 403, 'a visitor changes nothing');
  t.equal((await bobApi('POST', `/api/boards/${boardId}/domains`, { domain: 'other.example' })).statusCode, 403, 'nor shares it further');
  const mallory = await apiAs(app, 'mallory');
  t.equal((await mallory('GET', `/api/boards/${boardId}`)).statusCode, 404, 'a domain that only ends the same way is another domain');
  // eve signs up herself with an address in the domain: nothing proves it is hers, so she sees nothing
  const eve = await signUp(app, 'eve');
  await store.sql.run("UPDATE users SET email = 'eve@partner.example' WHERE username = 'eve'");
  t.equal((await eve.get(boardUrl)).status, 404, 'an address not proven (signed up with it) opens nothing');
  // a link that reaches her address (here a site admin's reset link, as "Forgot password" mails one) proves it
  const eveId = (await store.users.byUsername('eve'))!.id;
  const linkPage = await alice.submit(await alice.get('/people'), `form[action="/people/${eveId}/reset-link"]`);
  const link = /\/reset-password\/[\w-]+/.exec(linkPage.text)![0];
  await eve.submit(await eve.get(link), '', { password: 'another good passphrase', password2: 'another good passphrase' });
  await eve.submit(await eve.get('/sign-in'), '/sign-in', { username: 'eve', password: 'another good passphrase' });
  t.equal((await eve.get(boardUrl)).status, 200, 'proven now: she sees the board');
  t.equal((await mallory('GET', `/api/boards/${boardId}/domains`)).statusCode, 404, 'nor may others list the domains (WeKan lets them)');

  const removed = await api('DELETE', `/api/boards/${boardId}/domains/partner.example`);
  t.same(removed.json(), []);
  t.equal((await bob.get(boardUrl)).status, 404, 'no longer shared');
  t.equal((await api('DELETE', `/api/boards/${boardId}/domains/partner.example`)).statusCode, 404, 'removing what is not there: 404');

  // the same on the board settings page
  const settings = await alice.get(`${boardUrl}/settings`);
  const refused = await alice.submit(settings, '/domains', { domain: 'not a domain' });
  t.equal(refused.status, 422);
  t.equal(refused.$('#new-domain').val(), 'not a domain');
  let page = await alice.submit(settings, '/domains', { domain: 'partner.example' });
  t.match(page.text, 'partner.example');
  t.equal((await bob.get(boardUrl)).status, 200);
  page = await alice.submit(page, '/domains/remove');
  t.equal((await bob.get(boardUrl)).status, 404);
});

t.test('site settings, domains and attachment settings for site admins', async (t) => {
  const { app, store } = await startApp(t, { WAMI_MAX_FILE_BYTES: '5000000' });
  await signUp(app, 'root'); // the first account is the site admin
  await signUp(app, 'bob');
  const admin = await apiAs(app, 'root');
  const bob = await apiAs(app, 'bob');
  t.match((await admin('GET', '/api/settings')).json(), { productName: 'Wami', disableRegistration: false });
  const changed = await admin('PUT', '/api/settings', { productName: 'Team kanban', disableRegistration: true });
  t.equal(changed.statusCode, 200, changed.body);
  t.match(changed.json(), { productName: 'Team kanban', disableRegistration: true });
  t.match((await app.inject({ method: 'GET', url: '/sign-in' })).body, 'Team kanban', 'the pages use it');
  const signUpPage = await app.inject({ method: 'GET', url: '/sign-up' });
  t.equal(signUpPage.statusCode, 403, 'sign-up without an invitation is refused: WeKan\'s closed sign-up still takes invitations');
  t.match(signUpPage.body, /invitation/i);
  const unknown = await admin('PUT', '/api/settings', { productName: 'Other', hideLogo: true });
  t.equal(unknown.statusCode, 422);
  t.match(unknown.json(), { reason: /hideLogo/ });
  t.match((await admin('GET', '/api/settings')).json(), { productName: 'Team kanban' }, 'a refused body changes nothing');
  t.equal((await admin('PUT', '/api/settings', { productName: '' })).statusCode, 422);
  t.equal((await bob('GET', '/api/settings')).statusCode, 403, 'site admins only');

  await store.sql.run("UPDATE users SET email = 'bob@Partner.example' WHERE username = 'bob'");
  t.same((await admin('GET', '/api/admin/domains')).json(), [{ domain: 'example.org', count: 1 }, { domain: 'partner.example', count: 1 }]);
  t.equal((await bob('GET', '/api/admin/domains')).statusCode, 403);
  t.match((await admin('GET', '/api/admin/attachment-settings')).json(), { limitSettings: { attachmentsUploadMaxBytes: 5000000 } });
  const put = await admin('PUT', '/api/admin/attachment-settings', { limitSettings: { avatarsUploadBlocked: true } });
  t.equal(put.statusCode, 422);
  t.match(put.json(), { reason: /WAMI_MAX_FILE_BYTES/ });
});
