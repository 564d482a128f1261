// Failed sign-ins by key (`address:…`, `login:…`), with the time of each, for the sign-in limit.
import type { Db } from './db.js';

export class SignInFailures {
  constructor(private readonly db: Db) {}

  /** Notes a failure for each key at `atMs`, and drops the keys' failures older than `sinceMs`. */
  readonly record = (keys: string[], atMs: number, sinceMs: number): void =>
    this.db.transaction(() => {
      const drop = this.db.prepare('DELETE FROM sign_in_failures WHERE key = ? AND at_ms <= ?');
      const add = this.db.prepare('INSERT INTO sign_in_failures (key, at_ms) VALUES (?, ?)');
      for (const key of keys) {
        drop.run(key, sinceMs);
        add.run(key, atMs);
      }
    })();

  /** The key's failures after `sinceMs`: how many, and when the oldest of them was. */
  since(key: string, sinceMs: number): { count: number; oldestMs: number | null } {
    return this.db.prepare('SELECT count(*) AS count, min(at_ms) AS oldestMs FROM sign_in_failures WHERE key = ? AND at_ms > ?')
      .get(key, sinceMs) as { count: number; oldestMs: number | null };
  }

  /** Forgets the key's failures (a right password for that account). */
  forget(key: string): void {
    this.db.prepare('DELETE FROM sign_in_failures WHERE key = ?').run(key);
  }

  /** Drops every failure older than `beforeMs` (the periodic sweep); how many went. */
  deleteBefore(beforeMs: number): number {
    return this.db.prepare('DELETE FROM sign_in_failures WHERE at_ms <= ?').run(beforeMs).changes;
  }
}
