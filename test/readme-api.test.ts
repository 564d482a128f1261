// The README's API example, run as it stands with curl and jq against a listening server: what a
// script author copies must work. Then the store is checked for what the example says it does.
import t from 'tap';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listenApp } from './helpers/app.js';
import { signUp } from './helpers/browser.js';

/** The shell block under "The API by example", its two-space list indent taken off. */
function readmeExample(): string {
  const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('**The API by example**');
  const block = /```sh\n([\s\S]*?)\n\s*```/.exec(readme.slice(start));
  if (start < 0 || !block) throw new Error('no API example in the README');
  return block[1]!.split('\n').map((line) => line.replace(/^ {2}/, '')).join('\n');
}

t.test('the README\'s curl example works against a real server', async (t) => {
  const { app, url, store } = await listenApp(t);
  await signUp(app, 'alice');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-readme-'));
  t.teardown(() => fs.rmSync(work, { recursive: true, force: true }));
  const output = await new Promise<string>((resolve, reject) => {
    execFile('bash', ['-euo', 'pipefail', '-c', readmeExample()], { cwd: work, env: { ...process.env, WAMI: url } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
  });
  t.notMatch(output, '"error"', 'no call answered an error');
  const boards = await store.sql.all('SELECT id, title FROM boards ORDER BY created_at') as { id: string; title: string }[];
  t.same(boards.map((b) => b.title), ['Roadmap', 'Roadmap', 'Errands'], 'the board, its imported export, the CSV board');
  for (const board of boards.slice(0, 2)) {
    const [card] = await store.cards.faces(board.id);
    t.equal(card?.title, 'Write the README');
    t.equal((await store.lists.byId(board.id, card!.listId))?.title, 'Done', 'moved');
    t.equal(card?.dueAt, '2031-01-31T17:00:00.000Z');
    t.same((await store.comments.forCard(card!.id)).map((c) => c.text), ['Done: see the wiki']);
    t.same((await store.checklists.forCard(card!.id)).map((c) => [c.title, c.items.map((i) => i.title)]), [['Review', ['Spelling', 'Links']]]);
  }
  t.same((await store.cards.faces(boards[2]!.id)).map((c) => c.title), ['Buy milk']);
  t.ok(fs.existsSync(path.join(work, 'roadmap.json')), 'the export was saved');
});
