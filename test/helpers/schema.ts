// The schema number this Wami's migrations reach: what a migrated database, a backup and the admin's
// information page must say. Counted from the migration files, so a new migration edits no test.
import { migrationFiles } from '../../server/store/db.js';
import { migrationsDir } from '../../server/paths.js';

export const SCHEMA = migrationFiles(migrationsDir).length;
