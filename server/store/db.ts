// Opens wami.db with the settings that make an acknowledged write durable, and applies the
// numbered migrations in server/store/migrations/ (NNNN-name.sql) that the file has not seen yet.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrationsDir } from '../paths.js';

export type Db = Database.Database;

export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
}

export interface Migration {
  version: number;
  file: string;
}

/** The folder's NNNN-name.sql files in order, numbered without a gap from `first`. */
export function migrationFiles(dir: string, first = 1): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((file) => /^\d{4}-[\w-]+\.sql$/.test(file))
    .map((file) => ({ version: Number(file.slice(0, 4)), file: path.join(dir, file) }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + first) throw new Error(`migrations must be numbered ${first}, ${first + 1}, ${first + 2}…: ${path.basename(m.file)}`);
  });
  return migrations;
}

/** Applies each pending migration in its own transaction; PRAGMA user_version holds the schema number. */
export function migrate(db: Db, dir = migrationsDir): number {
  const migrations = migrationFiles(dir);
  const known = migrations.length;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > known) {
    throw new SchemaTooNewError(
      `the database has schema ${current} but this Wami knows only ${known}: run a newer Wami, or restore a backup`,
    );
  }
  for (const m of migrations.slice(current)) {
    const sql = fs.readFileSync(m.file, 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return known;
}

/**
 * Makes db.prepare() reuse the compiled statement for SQL it has seen (the store's SQL is a fixed set of
 * strings). Each reuse starts with pluck, raw and expand off, so a caller's mode never leaks to the next.
 */
function cacheStatements(db: Db): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = compile(sql);
      cache.set(sql, statement);
    }
    return statement.reader ? statement.pluck(false).raw(false).expand(false) : statement;
  }) as Db['prepare'];
}

export function openDatabase(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  cacheStatements(db);
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before we answer the request that made it (power-cut safe).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  // a board an import was still making, or a deletion unmaking, when the server stopped: all or nothing
  db.prepare('DELETE FROM boards WHERE id IN (SELECT board_id FROM boards_unfinished)').run();
  return db;
}
