// Site-wide values kept in the database (not environment settings): the signing secret.
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

export class Settings {
  constructor(private readonly db: Db) {}

  get(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  /** The secret that signs CSRF tokens; made once, on first start, and kept with the data. */
  secret(): string {
    const existing = this.get('secret');
    if (existing) return existing;
    const fresh = randomBytes(32).toString('base64url');
    this.db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run('secret', fresh);
    return this.get('secret')!;
  }
}
