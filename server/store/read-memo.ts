// Results of hot reads (the board and role behind every board page request), kept until this
// connection writes anything. SQLite's total_changes() counts every row this connection has inserted,
// changed or deleted, triggers included, so one cheap query tells whether a remembered answer may have
// gone stale. Writes by another process (the CLI) are not counted: entries also expire after a second.
import type Database from 'better-sqlite3';
import type { Db } from './db.js';

interface Entry<T> {
  value: T;
  changes: number;
  until: number;
}

export class ReadMemo<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly totalChanges: Database.Statement;

  constructor(db: Db, private readonly capacity = 10_000, private readonly ttlMs = 1000) {
    // Its own statement (pluck set once): no other code prepares this SQL.
    this.totalChanges = db.prepare('SELECT total_changes()').pluck(true);
  }

  obtain(key: string, read: () => T): T {
    const changes = this.totalChanges.get() as number;
    const now = Date.now();
    const known = this.entries.get(key);
    if (known && known.changes === changes && known.until > now) return known.value;
    const value = read();
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, { value, changes, until: now + this.ttlMs });
    return value;
  }

  /** Drops every answer (after a write batch was lost: answers read from it are not true any more). */
  forget(): void {
    this.entries.clear();
  }
}
