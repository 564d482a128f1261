// Every route the server has, visited as a visitor who is not signed in, as a signed-in user who is not a
// member, and as each board role: nothing of a private board leaks (its title, cards, comments,
// checklists, attachments, custom fields, webhook) to anyone who may not see it, in any status or body;
// and no write by a stranger changes it. The routes come from the server itself (printRoutes), so a
// route added later is visited too.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import type { InjectOptions } from 'light-my-request';
import { inOrder, startApp } from './helpers/app.js';
import { signUp, type Browser } from './helpers/browser.js';
import { hashToken, newToken } from '../server/web/session.js';
import type { MemberRole } from '../server/permissions.js';

/** The markers planted in the private board: none may appear where its viewer may not see it. */
const MARK = {
  board: 'LEAKboardTitle', list: 'LEAKlistTitle', swimlane: 'LEAKswimlaneTitle', card: 'LEAKcardTitle',
  description: 'LEAKcardDescription', comment: 'LEAKcommentText', checklist: 'LEAKchecklistTitle', item: 'LEAKitemTitle',
  label: 'LEAKlabelName', field: 'LEAKfieldName', file: 'LEAKfileName', fileBytes: 'LEAKfileBytes', webhook: 'LEAKwebhookPath',
};
const ALL = Object.values(MARK);

interface Route {
  method: string;
  path: string;
}

/** Every route with its full path, read from fastify's own route tree (printRoutes, no common prefix). */
function routesOf(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)(?:├── |└── )(.+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD') routes.push({ method, path: stack.join('') });
  }
  return routes;
}

t.test('no route leaks a private board to anyone who may not see it', async (t) => {
  const { app, store } = await startApp(t, { WAMI_WEBHOOK_PRIVATE: 'true' });
  const owner = await signUp(app, 'alice');
  const alice = (await store.users.byUsername('alice'))!;
  // The private board, built in the store with a marker in every part.
  const board = await store.boards.create(alice.id, MARK.board);
  const swimlane = (await store.swimlanes.forBoard(board.id, false))[0]!;
  await store.swimlanes.rename(alice.id, swimlane, MARK.swimlane);
  const list = await store.lists.create(alice.id, board.id, MARK.list);
  const card = await store.cards.create(alice.id, { boardId: board.id, listId: list.id, swimlaneId: swimlane.id, title: MARK.card });
  await store.cards.describe(alice.id, card, `${MARK.description} needle`); // searched for by its second word
  const comment = await store.comments.add(alice.id, card, MARK.comment);
  const checklist = await store.checklists.create(alice.id, card, MARK.checklist);
  const item = await store.checklists.addItem(alice.id, checklist, MARK.item);
  const label = await store.labels.create(alice.id, board.id, MARK.label, 'red');
  const field = await store.customFields.create(alice.id, board.id, { name: MARK.field, type: 'text', settings: {} });
  const integration = await store.integrations.create(alice.id, board.id, { title: 'Hook', url: `http://127.0.0.1:9/${MARK.webhook}`, token: null });
  const cardPage = await owner.get(`/b/${board.id}/${board.slug}/${card.id}`);
  await owner.upload(cardPage, '/attachments', [{ filename: `${MARK.file}.txt`, content: Buffer.from(MARK.fileBytes.repeat(10)), type: 'text/plain' }]);
  const attachment = (await store.attachments.forCard(card.id))[0]!;
  t.ok(attachment, 'the board has every part');

  // Who visits: a stranger signed in, and one member per role.
  const people: { name: string; browser: Browser | null; bearer: string | null; mayNotSee: string[] }[] = [
    { name: 'anonymous', browser: null, bearer: null, mayNotSee: ALL },
  ];
  const bearerFor = async (username: string) => {
    const token = newToken();
    await store.apiTokens.create(hashToken(token), (await store.users.byUsername(username))!.id, 'api', null);
    return token;
  };
  people.push({ name: 'non-member', browser: await signUp(app, 'mallory'), bearer: await bearerFor('mallory'), mayNotSee: ALL });
  const roles: MemberRole[] = ['admin', 'normal', 'no-comments', 'worker', 'comment-only'];
  for (const role of roles) {
    const username = `member-${role}`;
    const browser = await signUp(app, username);
    await store.members.add(alice.id, board.id, username, role);
    // Only board admins see webhooks; a no-comments member sees no comment.
    const mayNotSee = [...(role === 'admin' ? [] : [MARK.webhook]), ...(role === 'no-comments' ? [MARK.comment] : [])];
    people.push({ name: role, browser, bearer: await bearerFor(username), mayNotSee });
  }

  const values: Record<string, string> = {
    boardId: board.id, slug: board.slug, cardId: card.id, listId: list.id, swimlaneId: swimlane.id, checklistId: checklist.id,
    itemId: item.id, commentId: comment.id, attachmentId: attachment.id, filename: `${MARK.file}.txt`, labelId: label.id,
    fieldId: field.id, integrationId: integration.id, userId: alice.id, user: alice.id, key: 'none', token: 'none', name: 'none',
    source: 'wekan', '*': 'none',
  };
  const fill = (route: string) => route
    .replace(/\/swimlanes\/:laneId/, `/swimlanes/${swimlane.id}`)
    .replace(/:(\w+)(\|:\w+)?/g, (_, name: string) => values[name === 'laneId' ? 'listId' : name] ?? 'none')
    .replace('*', 'none');
  const snapshot = async () => {
    const tables = await store.sql.column<string>(store.sql.dialect === 'sqlite'
      ? "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'board_id' ORDER BY 1"
      : "SELECT table_name FROM information_schema.columns WHERE column_name = 'board_id' AND table_schema = 'public' ORDER BY 1");
    return JSON.stringify([await store.sql.one('SELECT * FROM boards WHERE id = ?', board.id), await store.users.byId(alice.id),
      ...await inOrder(tables, (table) => store.sql.all(`SELECT * FROM ${table} WHERE board_id = ? ORDER BY 1`, board.id))]);
  };
  const before = await snapshot();

  const routes = routesOf(app).filter((r) => !['/sign-out', '/sign-out/everywhere', '/users/logout'].includes(r.path));
  t.ok(routes.length > 150, `${routes.length} routes found`);
  const leaks: string[] = [];
  const writesLanded: string[] = [];
  for (const person of people) {
    const csrf = person.browser ? (await person.browser.get('/profile')).$('input[name=csrf]').first().attr('value') ?? '' : '';
    const strangers = person.mayNotSee === ALL;
    for (const route of routes) {
      const url = fill(route.path) + (route.path.includes('search') ? '?q=needle' : '');
      const api = route.path.startsWith('/api/');
      // Members are only read as: whether their role may write is roles.test.ts's business.
      if (route.method !== 'GET' && !strangers) continue;
      const request: InjectOptions = { method: route.method as InjectOptions['method'], url, headers: {} };
      if (api && person.bearer) request.headers!.authorization = `Bearer ${person.bearer}`;
      if (!api && person.browser) request.headers!.cookie = person.browser.cookieHeader();
      if (route.method !== 'GET') {
        const fields = { csrf, title: 'pwned', description: 'pwned', comment: 'pwned', text: 'pwned', name: 'pwned', username: 'mallory',
          role: 'admin', listId: list.id, swimlaneId: swimlane.id, position: 'top', url: 'http://127.0.0.1:9/pwned', sort: '0' };
        if (api) request.payload = fields;
        else {
          request.payload = new URLSearchParams(fields).toString();
          request.headers!['content-type'] = 'application/x-www-form-urlencoded';
        }
      }
      const answer = await app.inject(request);
      const body = answer.body + JSON.stringify(answer.headers);
      // A marker the request itself carries (a file name in the URL) may come back in a redirect.
      const seen = person.mayNotSee.filter((mark) => !url.includes(mark) && body.includes(mark));
      if (seen.length) leaks.push(`${person.name} ${route.method} ${route.path} -> ${answer.statusCode}: ${seen.join(', ')}`);
      if (route.method !== 'GET' && await snapshot() !== before) {
        writesLanded.push(`${person.name} ${route.method} ${route.path} -> ${answer.statusCode}`);
        break; // the first one is the one to read; later ones would all differ
      }
    }
  }
  t.same(leaks, [], 'nothing seen by anyone who may not see it');
  t.same(writesLanded, [], 'no write by a stranger changed the private board');
  // The probes can see: the same search and export by the board's admin do show the markers.
  const admin = people.find((p) => p.name === 'admin')!;
  t.match((await admin.browser!.get('/global-search?q=needle')).text, MARK.card, 'search finds the card for a member');
  const exported = await app.inject({ url: `/api/boards/${board.id}/export`, headers: { authorization: `Bearer ${admin.bearer}` } });
  t.match(exported.body, MARK.comment, "an admin's export has the comments");
});
