// The change bus on PostgreSQL LISTEN/NOTIFY (Step 9), on a real PostgreSQL started for the test: a
// change published by one instance reaches another's subscribers within a second, its own subscribers
// once, and the buses come back by themselves after PostgreSQL restarts.
import t from 'tap';
import { PostgresBus } from '../server/live/pg-bus.js';
import { startPostgres } from './helpers/postgres.js';

/** Resolves with the first version heard for the board, or rejects after `ms`. */
function heard(bus: PostgresBus, boardId: string, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`nothing heard for ${boardId} within ${ms} ms`)); }, ms);
    const stop = bus.subscribe(boardId, (version) => {
      clearTimeout(timer);
      stop();
      resolve(version);
    });
  });
}

t.test('two instances on one PostgreSQL hear each other, themselves once, and reconnect after a restart', async (t) => {
  const postgres = await startPostgres(t);
  const a = new PostgresBus(postgres.url);
  const b = new PostgresBus(postgres.url);
  await a.start();
  await b.start();
  t.teardown(async () => { await a.close(); await b.close(); });

  const started = Date.now();
  const onB = heard(b, 'board-1', 1000);
  a.publish('board-1', 7);
  t.equal(await onB, 7, 'instance B hears what A published');
  t.ok(Date.now() - started < 1000, `within a second (${Date.now() - started} ms)`);

  const versionsOnA: number[] = [];
  const stopA = a.subscribe('board-2', (version) => versionsOnA.push(version));
  const onB2 = heard(b, 'board-2', 1000);
  a.publish('board-2', 3);
  t.equal(await onB2, 3);
  await new Promise((resolve) => setTimeout(resolve, 200)); // time for A's own notification to come back
  t.same(versionsOnA, [3], "A's subscribers hear its change once, not again from PostgreSQL");
  stopA();

  // A burst, as under load: changes published while one notification is in flight go together after it.
  const warnings: string[] = [];
  const warned = (warning: Error) => warnings.push(warning.message);
  process.on('warning', warned);
  const burst = Array.from({ length: 100 }, (_, i) => heard(b, `burst-${i}`, 2000));
  for (let i = 0; i < 100; i++) a.publish(`burst-${i}`, i + 1);
  t.same(await Promise.all(burst), Array.from({ length: 100 }, (_, i) => i + 1), 'B hears each of 100 changes published at once');
  process.off('warning', warned);
  t.same(warnings, [], 'without queries overlapping on the connection (node-postgres warns of those)');

  postgres.stop();
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(a.listening, false, 'A noticed PostgreSQL is gone');
  postgres.start();
  for (let i = 0; i < 100 && !(a.listening && b.listening); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  t.ok(a.listening && b.listening, 'both listen again');
  const after = heard(a, 'board-3', 1000);
  b.publish('board-3', 12);
  t.equal(await after, 12, 'and hear each other again');
});

t.test('PostgreSQL down at start: start() rejects with its reason', async (t) => {
  const bus = new PostgresBus('postgres://postgres@127.0.0.1:1/wami');
  await t.rejects(bus.start(), /ECONNREFUSED/);
  await bus.close();
});
