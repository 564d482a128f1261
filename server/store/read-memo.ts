// Results of hot reads (the board and role behind every board page request), kept until this
// connection writes anything. SQLite's total_changes() counts every row this connection has inserted,
// changed or deleted, triggers included, so one cheap query tells whether a remembered answer may have
// gone stale. Writes by another process (the CLI) are not counted: entries also expire after a second.
// An engine that cannot count its changes (PostgreSQL: other instances write too) gets no memory.
import { LRUCache } from 'lru-cache';

interface Entry<T> {
  value: T;
  changes: number;
}

export class ReadMemo<T> {
  /** The most recently used answers, each for ttlMs at most. */
  private readonly entries: LRUCache<string, Entry<T>>;

  constructor(private readonly changes: () => number | null, capacity = 10_000, ttlMs = 1000) {
    this.entries = new LRUCache({ max: capacity, ttl: ttlMs });
  }

  async obtain(key: string, read: () => Promise<T>): Promise<T> {
    const changes = this.changes();
    if (changes === null) return read();
    const known = this.entries.get(key);
    if (known && known.changes === changes) return known.value;
    const value = await read();
    // a write while it was read makes the answer stale at once: kept under the count from before
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
