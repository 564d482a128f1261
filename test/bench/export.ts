// npm run bench (fourth part): exporting a big board streams in flat memory. Boards of 5,000 and
// 50,000 cards (labels, a member, a comment and a checklist item on every tenth), exported over HTTP;
// the process's RSS is sampled while the answer is read and thrown away.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { Store } from '../../server/store/index.js';
import { hashToken, newToken } from '../../server/web/session.js';
import { inOrder } from '../helpers/app.js';

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-export-'));
  const store = Store.open(dataDir);
  const user = await store.users.create({ username: 'bench', email: null, passwordHash: 'x' });
  const token = newToken();
  await store.apiTokens.create(hashToken(token), user.id, 'api', null);
  const makeBoard = async (cards: number) => {
    const board = await store.boards.create(user.id, `Board of ${cards}`);
    const swimlane = (await store.swimlanes.forBoard(board.id, false))[0]!;
    const lists = await inOrder(['Backlog', 'To do', 'Doing', 'Done'], async (t) => await store.lists.create(user.id, board.id, t));
    const labels = await store.labels.forBoard(board.id);
    await store.atomically(async () => {
      for (let i = 0; i < cards; i++) {
        const card = await store.cards.create(user.id, { boardId: board.id, listId: lists[i % 4]!.id, swimlaneId: swimlane.id, title: `Card ${i}: a typical title of some length`, description: 'Some **notes** about the work.' });
        await store.labels.setOnCard(user.id, card, [labels[i % 6]!.id]);
        if (i % 10 === 0) {
          await store.members.setOnCard(user.id, card, 'members', [user.id]);
          await store.comments.add(user.id, card, 'A comment on this card.');
          await store.checklists.addItem(user.id, await store.checklists.create(user.id, card, 'Steps'), 'One step');
        }
      }
    });
    return board;
  };
  const small = await makeBoard(5_000);
  const large = await makeBoard(50_000);
  const app = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false' }), store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const exportOnce = (boardId: string) => new Promise<{ bytes: number; seconds: number; rssGrowth: number }>((resolve, reject) => {
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const started = performance.now();
    http.get(`http://127.0.0.1:${port}/api/boards/${boardId}/export`, { headers: { authorization: `Bearer ${token}` } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      response.on('end', () => {
        clearInterval(timer);
        resolve({ bytes, seconds: (performance.now() - started) / 1000, rssGrowth: Math.max(peak, process.memoryUsage().rss) - base });
      });
    }).on('error', reject);
  });
  await exportOnce(small.id); // warm-up
  const results = [[5_000, await exportOnce(small.id)], [50_000, await exportOnce(large.id)]] as const;
  console.log('\nBoard export over HTTP (server and reader in one process; RSS sampled every 20 ms):');
  console.log('| cards | export size | seconds | RSS growth |');
  console.log('|---|---|---|---|');
  for (const [cards, r] of results) {
    console.log(`| ${cards} | ${(r.bytes / 1024 / 1024).toFixed(1)} MB | ${r.seconds.toFixed(2)} | ${(r.rssGrowth / 1024 / 1024).toFixed(1)} MB |`);
  }
  await app.close();
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
