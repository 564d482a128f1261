// Accounts. Password hashes never leave this module except to the code that verifies them.
import type { Db } from './db.js';
import { newId } from '../ids.js';
import { now } from './time.js';

export interface User {
  id: string;
  username: string;
  email: string | null;
  fullname: string;
  initials: string;
  timeZone: string;
  textMode: 0 | 1;
  autoRefresh: 0 | 1;
  /** The charset pages are served in; '' = automatic (web/page-charset.ts). */
  charset: string;
  isAdmin: 0 | 1;
  loginDisabled: 0 | 1;
  createdAt: string;
}

export interface Profile {
  fullname: string;
  initials: string;
  timeZone: string;
  textMode: boolean;
  autoRefresh: boolean;
  charset: string;
}

export interface NewUser {
  username: string;
  email: string | null;
  passwordHash: string;
  fullname?: string;
}

export const USER_COLUMNS = `id, username, email, fullname, initials, time_zone AS "timeZone", text_mode AS "textMode",
  auto_refresh AS "autoRefresh", charset, is_admin AS "isAdmin", login_disabled AS "loginDisabled", created_at AS "createdAt"`;

export class UsernameTakenError extends Error {
  override name = 'UsernameTakenError';
}
export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
}

export class Users {
  constructor(private readonly db: Db) {}

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  /** The first account becomes site admin, as in WeKan (decided inside the same transaction). */
  readonly create = (input: NewUser): User =>
    this.db.transaction((): User => {
      if (this.byUsername(input.username)) throw new UsernameTakenError(input.username);
      if (input.email && this.db.prepare('SELECT 1 FROM users WHERE email = ?').get(input.email)) {
        throw new EmailTakenError(input.email);
      }
      const id = newId();
      const at = now();
      const isAdmin = this.count() === 0 ? 1 : 0;
      this.db
        .prepare(
          `INSERT INTO users (id, username, email, password_hash, fullname, is_admin, created_at, modified_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, input.username, input.email, input.passwordHash, input.fullname ?? '', isAdmin, at, at);
      return this.byId(id)!;
    })();

  byId(id: string): User | undefined {
    return this.db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as User | undefined;
  }

  byUsername(username: string): User | undefined {
    return this.db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`).get(username) as User | undefined;
  }

  /** For sign-in: the account named by username or email, with its password hash. */
  credentials(login: string): { user: User; passwordHash: string } | undefined {
    const row = this.db
      .prepare(`SELECT ${USER_COLUMNS}, password_hash AS passwordHash FROM users WHERE username = ? OR email = ?
                ORDER BY username = ? DESC LIMIT 1`)
      .get(login, login, login) as (User & { passwordHash: string }) | undefined;
    if (!row) return undefined;
    const { passwordHash, ...user } = row;
    return { user, passwordHash };
  }

  updateProfile(userId: string, profile: Profile): void {
    this.db
      .prepare(`UPDATE users SET fullname = ?, initials = ?, time_zone = ?, text_mode = ?, auto_refresh = ?, charset = ?,
                modified_at = ? WHERE id = ?`)
      .run(profile.fullname, profile.initials, profile.timeZone, profile.textMode ? 1 : 0, profile.autoRefresh ? 1 : 0,
        profile.charset, now(), userId);
  }

  passwordHash(userId: string): string | undefined {
    return this.db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(userId) as string | undefined;
  }

  /**
   * A new password ends every other session of the account (`keepSession` is the one in use) and the
   * API tokens got by signing in with the old one; API keys an admin made stay.
   */
  readonly setPassword = (userId: string, passwordHash: string, keepSession: string | null): void =>
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET password_hash = ?, modified_at = ? WHERE id = ?').run(passwordHash, now(), userId);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').run(userId, keepSession);
      this.db.prepare(`DELETE FROM api_tokens WHERE user_id = ? AND kind = 'login'`).run(userId);
    })();

  /** Usernames by id, for naming people in histories (unknown ids are left out). */
  usernames(ids: string[]): Map<string, string> {
    const rows = this.db
      .prepare('SELECT id, username FROM users WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify([...new Set(ids)])) as { id: string; username: string }[];
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  /** Every account, for the admin's /people page. */
  all(): User[] {
    return this.db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY username COLLATE NOCASE`).all() as User[];
  }

  adminCount(): number {
    return this.db.prepare('SELECT count(*) FROM users WHERE is_admin = 1 AND login_disabled = 0').pluck().get() as number;
  }

  setAdmin(userId: string, isAdmin: boolean): void {
    this.db.prepare('UPDATE users SET is_admin = ?, modified_at = ? WHERE id = ?').run(isAdmin ? 1 : 0, now(), userId);
  }

  /** Disabling an account also ends its sessions. */
  readonly setLoginDisabled = (userId: string, disabled: boolean): void =>
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET login_disabled = ?, modified_at = ? WHERE id = ?').run(disabled ? 1 : 0, now(), userId);
      if (disabled) this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
    })();

  /** Rows per table, for /information. */
  counts(): Record<string, number> {
    const count = (table: string) => this.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return Object.fromEntries(['users', 'boards', 'lists', 'cards', 'comments', 'checklist_items', 'activities'].map((t) => [t, count(t)]));
  }
}
