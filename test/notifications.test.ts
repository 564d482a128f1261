// Notification mails (Step 10, their first part), received by a real SMTP server on loopback: being
// added to a board or a card, and being mentioned with @username in a comment. Each is sent to others
// only, to members of the board only, and only while the person's profile wants it.
import t from 'tap';
import { mentionedUsernames, newlyMentioned } from '../server/mentions.js';
import { startApp } from './helpers/app.js';
import { boardPath, createBoard, signUp } from './helpers/browser.js';
import { startSmtp } from './helpers/smtp.js';
import { until } from './helpers/wait.js';

t.test('@mentions are read as a person would: not inside addresses, each name once', async (t) => {
  t.same(mentionedUsernames('@bob and @Carol, see a@b.org or (@dave). @bob again; email@x.org'), ['bob', 'carol', 'dave']);
  t.same(mentionedUsernames('no one'), []);
});

t.test('added to a board or a card, mentioned in a comment: a mail each, to the right people only', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: 'http://kanban.example.org' });
  await app.ready();
  const alice = await signUp(app, 'alice');
  const bob = await signUp(app, 'bob');
  await signUp(app, 'carol'); // not on the board
  let board = await createBoard(alice, 'Garden');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Plant roses' });
  await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: 'bob', role: 'normal' });
  await until(() => smtp.received.length === 1);
  const added = smtp.received[0]!;
  t.equal((added.to as { text: string }).text, 'bob@example.org');
  t.equal(added.subject, 'alice added you to the board "Garden" on Wami');
  t.match(String(added.text), /alice added you to the board "Garden" on Wami\.\n\nhttp:\/\/kanban\.example\.org\/b\/\w+\/garden\n/,
    'with a link to the board on the public origin');
  t.match(String(added.text), /change them on your profile page:\nhttp:\/\/kanban\.example\.org\/profile\n/, 'and to the profile, to stop them');

  const cardUrl = board.$('div.card a').first().attr('href')!;
  await alice.submit(await alice.get(cardUrl), '/members', { member: [(await store.users.byUsername('bob'))!.id] });
  await until(() => smtp.received.length === 2);
  t.equal(smtp.received[1]!.subject, 'alice added you to "Plant roses" on Wami', 'added to a card');
  t.match(String(smtp.received[1]!.text), `http://kanban.example.org${cardUrl}`);

  await alice.submit(await alice.get(cardUrl), '/comments', { comment: 'Thanks @bob! And @carol, @alice and @nobody.' });
  await until(() => smtp.received.length === 3);
  const mention = smtp.received[2]!;
  t.equal((mention.to as { text: string }).text, 'bob@example.org', 'only bob: carol is not on the board, alice wrote it');
  t.equal(mention.subject, 'alice mentioned you on "Plant roses" on Wami');
  t.match(String(mention.text), '> Thanks @bob! And @carol, @alice and @nobody.', 'with what was written');
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(smtp.received.length, 3, 'and nobody else');

  // bob turns both off on his profile
  const profile = await bob.get('/profile');
  t.equal(profile.$('#mailAdded').attr('checked'), 'checked', 'on by default');
  await bob.submit(profile, '/profile', { mailAdded: [] as string[], mailMentions: [] as string[] });
  await alice.submit(await alice.get(cardUrl), '/comments', { comment: 'Are you there, @bob?' });
  await alice.submit(await alice.get(cardUrl), '/assignees', { assignee: [(await store.users.byUsername('bob'))!.id] });
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(smtp.received.length, 3, 'no more mail once he said so');
  t.equal(await store.sql.value("SELECT count(*) FROM mail_outbox WHERE to_address = 'bob@example.org'"), 3);
});

t.test('an edit of a description mails only the people it newly mentions', async (t) => {
  t.same(newlyMentioned('ask @bob', 'ask @Bob and @carol'), ['carol']);
  t.same(newlyMentioned('@bob', 'nobody now'), []);
});

t.test('@mentions in a card description: mailed when written, not again when the text is edited around them', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url });
  await app.ready();
  const alice = await signUp(app, 'alice');
  await signUp(app, 'bob');
  await signUp(app, 'carol');
  let board = await createBoard(alice, 'Garden');
  for (const username of ['bob', 'carol']) {
    await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username, role: 'normal' });
  }
  await until(() => smtp.received.length === 2); // the two "added you to the board" mails
  board = await alice.submit(board, '/lists', { title: 'To do' });
  board = await alice.submit(board, '/cards', { title: 'Plant roses' });
  const cardUrl = board.$('div.card a').first().attr('href')!;

  await alice.submit(await alice.get(cardUrl), '/description', { description: 'Soil first. @bob brings the spade.' });
  await until(() => smtp.received.length === 3);
  const mention = smtp.received[2]!;
  t.equal((mention.to as { text: string }).text, 'bob@example.org');
  t.equal(mention.subject, 'alice mentioned you on "Plant roses" on Wami');
  t.match(String(mention.text), 'alice mentioned you in the description of the card "Plant roses" on the board "Garden":\n\n> Soil first. @bob brings the spade.');

  await alice.submit(await alice.get(cardUrl), '/description', { description: 'Soil first. @bob brings the spade, @carol the seeds.' });
  await until(() => smtp.received.length === 4);
  t.equal((smtp.received[3]!.to as { text: string }).text, 'carol@example.org', 'only carol is new in this edit');
  await alice.submit(await alice.get(cardUrl), '/description', { description: 'Soil first! @bob brings the spade, @carol the seeds.' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(smtp.received.length, 4, 'an edit that mentions nobody new mails nobody');

  // a card made through the API with a description: those it mentions hear of it
  const login = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'correct horse battery' } });
  const boardId = (await store.sql.value<string>('SELECT id FROM boards'))!;
  const listId = (await store.sql.value<string>('SELECT id FROM lists'))!;
  const made = await app.inject({ method: 'POST', url: `/api/boards/${boardId}/lists/${listId}/cards`,
    headers: { authorization: `Bearer ${login.json().token}` }, payload: { title: 'Water', description: 'Every evening, @carol?' } });
  t.equal(made.statusCode, 200);
  await until(() => smtp.received.length === 5);
  t.equal(smtp.received[4]!.subject, 'alice mentioned you on "Water" on Wami');
  t.equal((smtp.received[4]!.to as { text: string }).text, 'carol@example.org');
  t.equal(await store.sql.value("SELECT count(*) FROM mail_outbox WHERE kind = 'mention'"), 3);
});
