// Site-wide values kept in the database (not environment settings): the signing secret.
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

export type Registration = 'open' | 'closed' | 'invite-only';

export interface SiteSettings {
  /** Who may make an account at /sign-up. */
  registration: Registration;
  /** Shown in every page's title and header. */
  siteTitle: string;
}

export class Settings {
  /** The saved site settings, read once: every page shows the site title. */
  private saved: { registration?: string; siteTitle?: string } | undefined;

  constructor(private readonly db: Db) {}

  /** The admin's choices on /setting; `defaults` apply until the admin saves (from WAMI_* settings). */
  site(defaults: SiteSettings): SiteSettings {
    this.saved ??= { registration: this.get('registration'), siteTitle: this.get('siteTitle') };
    const { registration, siteTitle } = this.saved;
    return {
      registration: registration === 'open' || registration === 'closed' || registration === 'invite-only'
        ? registration : defaults.registration,
      siteTitle: siteTitle ?? defaults.siteTitle,
    };
  }

  saveSite(site: SiteSettings): void {
    const upsert = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      upsert.run('registration', site.registration);
      upsert.run('siteTitle', site.siteTitle);
    })();
    this.saved = undefined;
  }

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
