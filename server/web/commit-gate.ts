// No answer leaves before the writes made so far are on disk. The store gathers the writes of a burst of
// requests into one commit (store/writer.ts); each response, whatever its route, waits for that commit.
// A read answered meanwhile waits too: it may show a write of that batch. If the batch is lost, the
// request is answered with the storage error instead (errors.ts: 503 or 507), and nothing of it is stored.
import type { FastifyInstance } from 'fastify';

export function installCommitGate(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, _reply, payload) => {
    const pending = app.store.writer?.pending();
    if (pending) await pending;
    return payload;
  });
}
