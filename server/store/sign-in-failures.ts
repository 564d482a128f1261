// Failed sign-ins by key (`address:…`, `login:…`), with the time of each, for the sign-in limit.
import type { Sql } from './sql.js';

export class SignInFailures {
  constructor(private readonly sql: Sql) {}

  /** Notes a failure for each key at `atMs`, and drops the keys' failures older than `sinceMs`. */
  record(keys: string[], atMs: number, sinceMs: number): Promise<void> {
    return this.sql.transaction(async () => {
      for (const key of keys) {
        await this.sql.run('DELETE FROM sign_in_failures WHERE key = ? AND at_ms <= ?', key, sinceMs);
        await this.sql.run('INSERT INTO sign_in_failures (key, at_ms) VALUES (?, ?)', key, atMs);
      }
    });
  }

  /** The key's failures after `sinceMs`: how many, and when the oldest of them was. */
  async since(key: string, sinceMs: number): Promise<{ count: number; oldestMs: number | null }> {
    return (await this.sql.one<{ count: number; oldestMs: number | null }>(
      'SELECT count(*) AS count, min(at_ms) AS "oldestMs" FROM sign_in_failures WHERE key = ? AND at_ms > ?', key, sinceMs))!;
  }

  /** Forgets the key's failures (a right password for that account). */
  async forget(key: string): Promise<void> {
    await this.sql.run('DELETE FROM sign_in_failures WHERE key = ?', key);
  }

  /** Drops every failure older than `beforeMs` (the periodic sweep); how many went. */
  deleteBefore(beforeMs: number): Promise<number> {
    return this.sql.run('DELETE FROM sign_in_failures WHERE at_ms <= ?', beforeMs);
  }
}
