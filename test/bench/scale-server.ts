// The server side of the scale benchmark, in its own process so its memory is measured alone: Wami on
// the data folder given as the first argument, plus /__mem (memory after a full GC). Prints {port}.
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { Store } from '../../server/store/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
const dataDir = process.argv[2]!;
const store = Store.open(dataDir);
const app = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false' }), store });
app.get('/__mem', async () => {
  gc?.();
  gc?.();
  return { ...process.memoryUsage(), waiters: app.waiters.size, pageCache: app.pageCache.size };
});
await app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  store.close();
  process.exit(0);
});
