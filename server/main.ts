// Process entry: config -> store -> app -> listen. SIGTERM/SIGINT: stop accepting, finish, close the store.
// Exit codes: 2 for a setting or schema this Wami cannot run with (systemd does not restart it), 3 when
// PostgreSQL does not answer at start (systemd tries again), 1 for anything else.
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { PostgresBus } from './live/pg-bus.js';
import { SchemaTooNewError } from './store/db.js';
import { openConfiguredStore } from './store/open.js';
import type { Store } from './store/index.js';
import { DatabaseUnreachable, PostgresStore } from './store/pg-store.js';
import type { ChangeBus } from './live/bus.js';

/** The store the settings name, and the change bus its instances share. */
async function openStore(config: Config): Promise<{ store: Store; bus?: ChangeBus & { close(): Promise<void> } }> {
  const store = await openConfiguredStore(config);
  if (!config.databaseUrl) return { store };
  const bus = new PostgresBus(config.databaseUrl);
  await bus.start();
  return { store, bus };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const { store, bus } = await openStore(config);
  const app = await buildApp({ config, store, bus });
  if (store instanceof PostgresStore) {
    store.pg.onIdleConnectionLost = (error) =>
      app.log.warn({ err: error }, 'an idle PostgreSQL connection broke; new ones are opened as needed');
  }
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'stopping');
    await app.close();
    await bus?.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // Node's default accept queue is 511; a burst of refreshes after a change can be larger. The kernel
  // caps it at net.core.somaxconn (deploy/sysctl.conf raises that to 8192).
  await app.listen({ port: config.port, host: config.host, backlog: 8192 });
  // Expired sessions, old failed sign-ins, mail settled a week ago and the reminder marks of past due
  // dates are ignored anyway; sweeping them keeps the tables small.
  const sweep = () => {
    const dayMs = 24 * 3600 * 1000;
    Promise.all([
      store.sessions.deleteExpired(),
      store.signInFailures.deleteBefore(Date.now() - dayMs),
      store.outbox.deleteSettledBefore(new Date(Date.now() - 7 * dayMs).toISOString()),
      store.dueReminders.deleteBefore(new Date(Date.now() - dayMs).toISOString()),
    ]).catch((error: unknown) => app.log.warn({ err: error }, 'sweeping expired sessions, old failed sign-ins, old mail and reminders failed'));
  };
  sweep();
  setInterval(sweep, 6 * 3600 * 1000).unref();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof SchemaTooNewError) {
    console.error(`wami: ${error.message}`);
    process.exit(2);
  }
  if (error instanceof DatabaseUnreachable) {
    console.error(`wami: ${error.message}`);
    process.exit(3);
  }
  console.error(error);
  process.exit(1);
});
