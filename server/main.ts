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
  // Node's default accept queue is 511; a burst of refreshes after a change can be larger. The kernel
  // caps it at net.core.somaxconn (deploy/sysctl.conf raises that to 8192).
  await app.listen({ port: config.port, host: config.host, backlog: 8192 });
  // Expired sessions and old failed sign-ins are ignored anyway; sweeping them keeps the tables small.
  const sweep = () => {
    Promise.all([store.sessions.deleteExpired(), store.signInFailures.deleteBefore(Date.now() - 24 * 3600 * 1000)])
      .catch((error: unknown) => app.log.warn({ err: error }, 'sweeping expired sessions and old failed sign-ins failed'));
  };
  sweep();
  setInterval(sweep, 6 * 3600 * 1000).unref();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof SchemaTooNewError) {
    console.error(`wami: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
