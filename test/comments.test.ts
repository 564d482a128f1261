// Comments and the card history: who may write, edit and delete them, and who sees them at all.
import t from 'tap';
import type { Test } from 'tap';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp, type Browser, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

async function setUp(t: Test) {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Chat');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/lists', { title: 'Done' });
  board = await alice.submit(board, '/cards', { title: 'Plan party' });
  const cardUrl = board.$('div.card > a').attr('href')!;
  const member = async (name: string, role: string): Promise<Browser> => {
    const browser = await signUp(app, name);
    await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: name, role });
    return browser;
  };
  const bob = await member('bob', 'normal');
  const cora = await member('cora', 'comment-only');
  const nina = await member('nina', 'no-comments');
  return { app, store, alice, bob, cora, nina, cardUrl };
}

const commentTexts = (page: Page) => page.$('div.comment').map((_, d) => page.$(d).find('p').eq(1).text()).get();

t.test('comment, edit your own, delete your own; admins delete any; all in the history', async (t) => {
  const { store, alice, bob, cora, cardUrl } = await setUp(t);
  let page = await cora.submit(await cora.get(cardUrl), '/comments', { comment: 'Count me *in*' });
  t.equal(page.status, 200);
  t.same(commentTexts(page), ['Count me in']);
  t.equal(page.$('div.comment em').text(), 'in', 'Markdown');
  page = await bob.submit(await bob.get(cardUrl), '/comments', { comment: 'Bring <script>alert(1)</script> cake' });
  t.notMatch(page.body, '<script>alert(1)');
  t.equal((await validateHtml(page.body, 'card-comments')).valid, true);

  const coraId = await store.sql.value(`SELECT c.id FROM comments c JOIN users u ON u.id = c.user_id WHERE u.username = 'cora'`) as string;
  const bobId = await store.sql.value(`SELECT c.id FROM comments c JOIN users u ON u.id = c.user_id WHERE u.username = 'bob'`) as string;
  const coraPage = await cora.get(cardUrl);
  t.equal(coraPage.$(`a[href$="/comments/${coraId}"]`).length, 1, 'an edit link on her own comment');
  t.equal(coraPage.$(`a[href$="/comments/${bobId}"]`).length, 0, 'none on bob\'s');
  const editPage = await cora.get(`${cardUrl}/comments/${coraId}`);
  t.equal((await validateHtml(editPage.body, 'comment-edit')).valid, true);
  page = await cora.submit(editPage, `/comments/${coraId}`, { comment: 'Count me in, twice' });
  t.match(page.text, 'Count me in, twice');
  t.match(page.text, '(edited)');
  const token = coraPage.$('input[name=csrf]').attr('value')!;
  t.equal((await cora.post(`${cardUrl}/comments/${bobId}`, { csrf: token, comment: 'hijack' })).status, 403, "not bob's");
  t.equal((await cora.post(`${cardUrl}/comments/${bobId}/delete`, { csrf: token })).status, 403);
  t.equal((await cora.get(`${cardUrl}/comments/${bobId}`)).status, 403);
  t.match((await store.comments.byId(cardUrl.split('/').pop()!, bobId))?.text, 'Bring');

  page = await alice.submit(await alice.get(cardUrl), `/comments/${bobId}/delete`);
  t.same(commentTexts(page), ['Count me in, twice'], 'the board admin deleted bob\'s comment');
  const history = page.$('ul.history li').map((_, li) => page.$(li).text()).get().join('\n');
  t.match(history, 'alice deleted a comment');
  t.match(history, 'cora edited a comment');
  t.match(history, 'bob commented');
  t.match(history, 'alice added the card to To do');
});

t.test('an empty or too long comment is 422 with the text kept', async (t) => {
  const { store, bob, cardUrl } = await setUp(t);
  const page = await bob.get(cardUrl);
  const empty = await bob.submit(page, '/comments', { comment: '   ' });
  t.equal(empty.status, 422);
  t.match(empty.text, 'The comment is empty');
  const long = await bob.submit(page, '/comments', { comment: 'x'.repeat(70000) });
  t.equal(long.status, 422);
  t.equal(long.$('#comment').text().length, 70000, 'what was typed is kept');
  t.equal(await store.sql.value('SELECT count(*) FROM comments'), 0);
});

t.test('a no-comments member sees neither comments nor history, and cannot comment', async (t) => {
  const { store, bob, nina, cardUrl } = await setUp(t);
  await bob.submit(await bob.get(cardUrl), '/comments', { comment: 'Secret plans' });
  const page = await nina.get(cardUrl);
  t.notMatch(page.text, 'Secret plans');
  t.notMatch(page.text, 'History');
  t.equal(page.$('#comment').length, 0);
  const refused = await nina.post(`${cardUrl}/comments`, { csrf: page.$('input[name=csrf]').attr('value')!, comment: 'me too' });
  t.equal(refused.status, 403);
  t.match(refused.text, 'see no comments or history');
  t.equal(await store.sql.value('SELECT count(*) FROM comments'), 1);
});

t.test('history tells moves, renames, dates, labels and people in words', async (t) => {
  const { alice, cardUrl } = await setUp(t);
  let card = await alice.get(cardUrl);
  const doneId = card.$('#move-list option').filter((_, o) => card.$(o).text() === 'Done').attr('value')!;
  card = await alice.submit(card, '/move', { listId: doneId, position: 'top' });
  card = await alice.submit(card, '/title', { title: 'Plan the party' });
  card = await alice.submit(card, '/details', { dueAtDate: '2030-05-01', dueAtTime: '18:00' });
  card = await alice.submit(card, '/labels', { label: card.$('input[name=label]').first().attr('value')! });
  card = await alice.submit(card, '/assignees', { assignee: card.$('input[name=assignee]').first().attr('value')! });
  const history = card.$('ul.history li').map((_, li) => card.$(li).text()).get().join('\n') as string;
  t.match(history, 'alice moved the card from To do to Done');
  t.match(history, 'alice renamed the card from "Plan party" to "Plan the party"');
  t.match(history, 'alice set the due date to 2030-05-01 18:00');
  t.match(history, 'alice added the label [green]');
  t.match(history, 'alice assigned @alice');
});
