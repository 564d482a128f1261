// The role matrix: each board role tries each action through the real forms' URLs. Allowed actions
// succeed; refused ones are a 403 page that says what the role allows, and change nothing.
import t from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp } from './helpers/browser.js';
import type { Store } from '../server/store/index.js';

type Role = 'admin' | 'normal' | 'no-comments' | 'comment-only' | 'worker' | 'visitor';
const ROLES: Role[] = ['admin', 'normal', 'no-comments', 'comment-only', 'worker', 'visitor'];

interface Fixture {
  path: string;
  boardId: string;
  cardUrl: string;
  cardId: string;
  listId: string;
  otherListId: string;
  swimlaneId: string;
  labelId: string;
  userId: string;
}

interface Action {
  name: string;
  allowed: Role[];
  post: (f: Fixture) => [string, Record<string, string | string[]>];
}

const EVERY_MEMBER: Role[] = ['admin', 'normal', 'no-comments'];
const ACTIONS: Action[] = [
  { name: 'add a card', allowed: EVERY_MEMBER, post: (f) => [`${f.path}/cards`, { title: 'New', listId: f.listId, swimlaneId: f.swimlaneId }] },
  { name: 'add a list', allowed: EVERY_MEMBER, post: (f) => [`${f.path}/lists`, { title: 'New' }] },
  { name: 'add a swimlane', allowed: EVERY_MEMBER, post: (f) => [`${f.path}/swimlanes`, { title: 'New' }] },
  { name: 'rename a card', allowed: EVERY_MEMBER, post: (f) => [`${f.cardUrl}/title`, { title: 'Renamed' }] },
  { name: 'describe a card', allowed: EVERY_MEMBER, post: (f) => [`${f.cardUrl}/description`, { description: 'text' }] },
  { name: 'set dates', allowed: EVERY_MEMBER, post: (f) => [`${f.cardUrl}/details`, { dueAtDate: '2030-01-01' }] },
  { name: 'label a card', allowed: EVERY_MEMBER, post: (f) => [`${f.cardUrl}/labels`, { label: f.labelId }] },
  { name: 'add card members', allowed: EVERY_MEMBER, post: (f) => [`${f.cardUrl}/members`, { member: f.userId }] },
  { name: 'assign oneself', allowed: [...EVERY_MEMBER, 'worker'], post: (f) => [`${f.cardUrl}/assign-me`, {}] },
  { name: 'move a card', allowed: [...EVERY_MEMBER, 'worker'], post: (f) => [`${f.cardUrl}/move`, { listId: f.otherListId, position: 'top' }] },
  { name: 'move picked cards', allowed: [...EVERY_MEMBER, 'worker'], post: (f) => [`${f.path}/selected`, { card: f.cardId, listId: f.otherListId, swimlaneId: f.swimlaneId, move: 'Move' }] },
  { name: 'archive picked cards', allowed: EVERY_MEMBER, post: (f) => [`${f.path}/selected`, { card: f.cardId, archive: 'Archive' }] },
  { name: 'archive a card', allowed: EVERY_MEMBER, post: (f) => [`${f.cardUrl}/archive`, {}] },
  { name: 'delete a card', allowed: EVERY_MEMBER, post: (f) => [`${f.cardUrl}/delete`, {}] },
  { name: 'add a checklist', allowed: EVERY_MEMBER, post: (f) => [`${f.cardUrl}/checklists`, { title: 'List' }] },
  { name: 'comment', allowed: ['admin', 'normal', 'comment-only', 'worker'], post: (f) => [`${f.cardUrl}/comments`, { comment: 'hi' }] },
  { name: 'add a label to the board', allowed: EVERY_MEMBER, post: (f) => [`${f.path}/labels`, { name: 'x', color: 'red' }] },
  { name: 'rename a list', allowed: EVERY_MEMBER, post: (f) => [`${f.path}/lists/${f.listId}/title`, { title: 'Renamed' }] },
  { name: 'set a WIP limit', allowed: EVERY_MEMBER, post: (f) => [`${f.path}/lists/${f.listId}/look`, { wipLimit: '9' }] },
  { name: 'change board settings', allowed: ['admin'], post: (f) => [`${f.path}/settings`, { title: 'T', color: 'belize', permission: 'public', description: '' }] },
  { name: 'add a board member', allowed: ['admin'], post: (f) => [`${f.path}/members`, { username: 'outsider', role: 'normal' }] },
  { name: 'archive the board', allowed: ['admin'], post: (f) => [`${f.path}/archive`, {}] },
];

async function fixture(store: Store, path: string, userId: string): Promise<Fixture> {
  const boardId = path.split('/')[2]!;
  const ownerId = (await store.members.forBoard(boardId)).find((m) => m.role === 'admin' && m.username === 'owner')!.userId;
  const [list, other] = await store.lists.forBoard(boardId, false);
  const swimlane = (await store.swimlanes.forBoard(boardId, false))[0]!;
  const card = await store.cards.create(ownerId, { boardId, listId: list!.id, swimlaneId: swimlane.id, title: 'Target' });
  return {
    path, boardId, cardUrl: `${path}/${card.id}`, cardId: card.id, listId: list!.id, otherListId: other!.id,
    swimlaneId: swimlane.id, labelId: (await store.labels.forBoard(boardId))[0]!.id, userId,
  };
}

t.test('each role x each action: allowed, or 403 with nothing changed', async (t) => {
  const { app, store } = await startApp(t);
  const owner = await signUp(app, 'owner');
  await signUp(app, 'outsider');
  let page = await createBoard(owner, 'Matrix');
  page = await owner.submit(page, '/lists', { title: 'One' });
  page = await owner.submit(page, '/lists', { title: 'Two' });
  page = await owner.submit(await owner.get(`${boardPath(page)}/settings`), '/settings', { permission: 'public' });
  const path = boardPath(page);
  const browsers = new Map<Role, Browser>();
  for (const role of ROLES) {
    const browser = await signUp(app, `user-${role}`);
    browsers.set(role, browser);
    if (role !== 'visitor') {
      await owner.submit(await owner.get(`${path}/members`), '/members', { username: `user-${role}`, role });
    }
  }
  for (const role of ROLES) {
    const browser = browsers.get(role)!;
    const token = (await browser.get(path)).$('input[name=csrf]').attr('value')!;
    const userId = (await store.users.byUsername(`user-${role}`))!.id;
    for (const action of ACTIONS) {
      await store.sql.run('UPDATE lists SET wip_limit = NULL');
      const f = await fixture(store, path, userId);
      // each try starts from a live board: undo what an earlier allowed action did to it
      await store.sql.run(`UPDATE boards SET archived = 0, title = 'Matrix', slug = 'matrix', permission = 'public' WHERE id = ?`, f.boardId);
      await store.sql.run('DELETE FROM board_members WHERE user_id = ?', (await store.users.byUsername('outsider'))!.id);
      const version = (await store.boards.byId(f.boardId))!.version;
      const [url, fields] = action.post(f);
      const response = await browser.post(url, { csrf: token, ...fields });
      const allowed = action.allowed.includes(role);
      if (allowed) {
        t.equal(response.status, 200, `${role} may ${action.name}`);
        t.ok((await store.boards.byId(f.boardId))!.version > version, `${role}: ${action.name} changed the board`);
      } else {
        t.equal(response.status, 403, `${role} may not ${action.name}`);
        t.match(response.text, /may (look|do everything|add)/, `${role}: the 403 page says what the role allows`);
        t.equal((await store.boards.byId(f.boardId))!.version, version, `${role}: ${action.name} changed nothing`);
      }
    }
  }
});

t.test('a visitor\'s tool line offers only what they may open', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const board = await createBoard(alice, 'Open plans');
  const boardId = boardPath(board).split('/')[2]!;
  await store.sql.run("UPDATE boards SET permission = 'public' WHERE id = ?", boardId);
  const toolLinks = (page: { $: import('cheerio').CheerioAPI }) => page.$('p.tools a').map((_, a) => page.$(a).text()).get();
  t.same(toolLinks(await alice.get(boardPath(board))), ['Refresh', 'Settings', 'Archived items', 'Calendar', 'Wall view', 'Members', 'Watch'], 'a member: all of them');
  const stranger = new Browser(app);
  t.same(toolLinks(await stranger.get(boardPath(board))), ['Refresh', 'Archived items', 'Wall view'], 'not signed in: what opens without an account');
  const bob = await signUp(app, 'bob');
  t.same(toolLinks(await bob.get(boardPath(board))), ['Refresh', 'Archived items', 'Calendar', 'Wall view', 'Members', 'Watch'], 'a signed-in visitor: no settings');
  for (const page of ['archived', 'wall']) t.equal((await stranger.get(`${boardPath(board)}/${page}`)).status, 200, `${page} opens for a stranger`);
});
