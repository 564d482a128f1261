// The board at size: 500 cards stay one valid table under 400 KB; crowded cells collapse into a
// "show all" link to the list's own page, which shows every card and keeps the user there.
import t from 'tap';
import { startApp, inOrder } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';

t.test('a 500-card board: under 400 KB, valid, long lists collapsed into "show all"', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  const page = await createBoard(alice, 'Big');
  const path = boardPath(page);
  const boardId = path.split('/')[2]!;
  const userId = (await store.users.byUsername('alice'))!.id;
  const swimlane = (await store.swimlanes.forBoard(boardId, false))[0]!;
  const lists = await inOrder(['Backlog', 'To do', 'Doing', 'Review', 'Done'], async (title) => await store.lists.create(userId, boardId, title));
  const labels = await store.labels.forBoard(boardId);
  await store.sql.transaction(async () => {
    for (let i = 0; i < 500; i++) {
      // Backlog gets most of the cards, as real boards do
      const list = i < 300 ? lists[0]! : lists[1 + (i % 4)]!;
      const card = await store.cards.create(userId, { boardId, listId: list.id, swimlaneId: swimlane.id, title: `Card ${i}: a title of a usual length here` });
      await store.sql.run('INSERT INTO card_labels (card_id, board_id, label_id) VALUES (?, ?, ?)', card.id, boardId, labels[i % 6]!.id);
      await store.sql.run('INSERT INTO card_members (card_id, user_id) VALUES (?, ?)', card.id, userId);
    }
  });
  const board = await alice.get(path);
  const bytes = Buffer.byteLength(board.body);
  t.ok(bytes < 400 * 1024, `the board page is ${Math.round(bytes / 1024)} KB`);
  t.equal(board.$('table.board').length, 1, 'one table');
  t.match(board.text, 'Backlog (300)', 'the header counts every card');
  const backlogCell = board.$('table.board tr').eq(1).find('td').first();
  t.equal(backlogCell.find('div.card').length, 50, 'the crowded cell shows 50');
  t.equal(backlogCell.find('a').filter((_, a) => board.$(a).text() === 'show all 300 cards').length, 1);
  t.equal(board.$('table.board tr').eq(1).find('td').eq(1).find('div.card').length, 50, 'To do has exactly 50: nothing hidden');
  const result = await validateHtml(board.body, 'board-500');
  t.ok(result.valid, 'valid HTML 4.01', { report: result.report });

  const listPage = await alice.get(backlogCell.find('a').filter((_, a) => board.$(a).text() === 'show all 300 cards').attr('href')!);
  t.equal(listPage.$('div.card').length, 300, 'the list page shows every card');
  t.equal(listPage.$('th.list').length, 1, 'and only that list');
  t.match(listPage.$('h1').text(), 'Big: Backlog');
  t.equal((await validateHtml(listPage.body, 'list-view')).valid, true);
  const first = listPage.$('input[name=card]').first().attr('value')!;
  const doneId = listPage.$('#move-list option').filter((_, o) => listPage.$(o).text() === 'Done').attr('value')!;
  const after = await alice.submit(listPage, '/selected', { card: first, listId: doneId }, 'move');
  t.equal(after.url, listPage.url, 'a move from the list page comes back to it');
  t.equal(after.$('div.card').length, 299);
});
