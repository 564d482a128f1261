// Results of hot reads (the board and role behind every board page request), kept until this
// connection writes anything. SQLite's total_changes() counts every row this connection has inserted,
// changed or deleted, triggers included, so one cheap query tells whether a remembered answer may have
// gone stale. Writes by another process (the CLI) are not counted: entries also expire after a second.
import { LRUCache } from 'lru-cache';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';

interface Entry<T> {
  value: T;
  changes: number;
}

export class ReadMemo<T> {
  /** The most recently used answers, each for ttlMs at most. */
  private readonly entries: LRUCache<string, Entry<T>>;
  private readonly totalChanges: Database.Statement;

  constructor(db: Db, capacity = 10_000, ttlMs = 1000) {
    this.entries = new LRUCache({ max: capacity, ttl: ttlMs });
    // Its own statement (pluck set once): no other code prepares this SQL.
    this.totalChanges = db.prepare('SELECT total_changes()').pluck(true);
  }

  obtain(key: string, read: () => T): T {
    const changes = this.totalChanges.get() as number;
    const known = this.entries.get(key);
    if (known && known.changes === changes) return known.value;
    const value = read();
    this.entries.set(key, { value, changes });
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  get max(): number {
    return this.entries.max;
  }

  /** Drops every answer (after a write batch was lost: answers read from it are not true any more). */
  forget(): void {
    this.entries.clear();
  }
}
