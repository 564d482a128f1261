// The store the settings name: PostgreSQL when WAMI_DATABASE_URL is set (several instances share it),
// else SQLite in the data folder. Used by the server and by the command line alike.
import type { Config } from '../config.js';
import { Store } from './index.js';
import { PostgresStore } from './pg-store.js';

/**
 * Opens (and migrates) the configured store. `groupCommit: false` makes each SQLite write commit by
 * itself, for the command line: what a command prints is then on disk. PostgreSQL commits each
 * transaction by itself anyway. Rejects with DatabaseUnreachable when PostgreSQL does not answer.
 */
export async function openConfiguredStore(config: Config, { groupCommit = config.groupCommit } = {}): Promise<Store> {
  if (config.databaseUrl) return await PostgresStore.connect(config.databaseUrl, config.databasePool);
  return Store.open(config.dataDir, { groupCommit });
}
