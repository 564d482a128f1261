// Site-wide values kept in the database (not environment settings): the signing secret, and what the
// admin chooses on /setting.
import { randomBytes } from 'node:crypto';
import type { Sql } from './sql.js';

export type Registration = 'open' | 'closed' | 'invite-only';

export interface SiteSettings {
  /** Who may make an account at /sign-up. */
  registration: Registration;
  /** Shown in every page's title and header. */
  siteTitle: string;
}

interface Saved {
  registration?: string;
  siteTitle?: string;
}

/**
 * How long the site settings are used as read: every page shows the site title, so they are not read per
 * page. This instance's own changes are seen at once; another instance's (on PostgreSQL) within this time.
 */
const FRESH_MS = 5000;

export class Settings {
  private saved: Saved = {};
  private readAtMs = -Infinity;
  private reading: Promise<void> | null = null;

  constructor(private readonly sql: Sql) {}

  /** Reads the site settings (once at start; then `site` keeps them fresh by itself). */
  async load(): Promise<void> {
    const rows = await this.sql.all<{ key: string; value: string }>(
      "SELECT key, value FROM settings WHERE key IN ('registration', 'siteTitle')");
    this.saved = Object.fromEntries(rows.map((row) => [row.key, row.value]));
    this.readAtMs = Date.now();
  }

  /** The admin's choices on /setting; `defaults` apply until the admin saves (from WAMI_* settings). */
  site(defaults: SiteSettings): SiteSettings {
    if (Date.now() - this.readAtMs > FRESH_MS && !this.reading) {
      // read again in the background: this page uses what was read, the next ones the fresh values
      this.reading = this.load().catch(() => {}).finally(() => { this.reading = null; });
    }
    const { registration, siteTitle } = this.saved;
    return {
      registration: registration === 'open' || registration === 'closed' || registration === 'invite-only'
        ? registration : defaults.registration,
      siteTitle: siteTitle ?? defaults.siteTitle,
    };
  }

  async saveSite(site: SiteSettings): Promise<void> {
    const upsert = 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
    await this.sql.transaction(async () => {
      await this.sql.run(upsert, 'registration', site.registration);
      await this.sql.run(upsert, 'siteTitle', site.siteTitle);
    });
    this.saved = { ...site };
    this.readAtMs = Date.now();
  }

  get(key: string): Promise<string | undefined> {
    return this.sql.value<string>('SELECT value FROM settings WHERE key = ?', key);
  }

  /** The secret that signs CSRF tokens; made once, on first start, and kept with the data (the first instance's wins). */
  async secret(): Promise<string> {
    const existing = await this.get('secret');
    if (existing) return existing;
    await this.sql.run(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', 'secret', randomBytes(32).toString('base64url'));
    return (await this.get('secret'))!;
  }
}
