// Process entry: config -> store -> app -> listen. SIGTERM/SIGINT: stop accepting, finish, close SQLite.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { SchemaTooNewError } from './store/db.js';
import { Store } from './store/index.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const store = Store.open(config.dataDir, { groupCommit: config.groupCommit });
  const app = await buildApp({ config, store });
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'stopping');
    await app.close();
    store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  // Expired sessions are refused anyway; sweeping them keeps the table small.
  store.sessions.deleteExpired();
  setInterval(() => store.sessions.deleteExpired(), 6 * 3600 * 1000).unref();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof SchemaTooNewError) {
    console.error(`wami: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
