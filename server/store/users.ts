// Accounts. Password hashes never leave this module except to the code that verifies them.
import { placeholders, type Sql } from './sql.js';
import { domainOf } from '../domains.js';
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
  /** The language of pages and mails (i18n/messages.ts); '' = automatic (web/language.ts). */
  language: string;
  isAdmin: 0 | 1;
  loginDisabled: 0 | 1;
  /** Mail when someone adds them to a board or card. */
  mailAdded: 0 | 1;
  /** Mail when someone mentions them (@username). */
  mailMentions: 0 | 1;
  /** Mail when a card of theirs (member, assignee, watched) is due within a day. */
  mailDue: 0 | 1;
  /** Mail about what happens on the boards and cards they watch. */
  mailWatched: 0 | 1;
  /** All of those in one summary a day instead of a mail each. */
  mailDigest: 0 | 1;
  createdAt: string;
}

export interface Profile {
  fullname: string;
  initials: string;
  timeZone: string;
  textMode: boolean;
  autoRefresh: boolean;
  charset: string;
  language: string;
  mailAdded: boolean;
  mailMentions: boolean;
  mailDue: boolean;
  mailWatched: boolean;
  mailDigest: boolean;
}

/** The profile a user has now: the profile form's first values, and a start for changing one of them. */
export function profileOf(user: User): Profile {
  return {
    fullname: user.fullname, initials: user.initials, timeZone: user.timeZone, textMode: !!user.textMode, autoRefresh: !!user.autoRefresh,
    charset: user.charset, language: user.language, mailAdded: !!user.mailAdded, mailMentions: !!user.mailMentions, mailDue: !!user.mailDue,
    mailWatched: !!user.mailWatched, mailDigest: !!user.mailDigest,
  };
}

export interface NewUser {
  username: string;
  email: string | null;
  passwordHash: string;
  fullname?: string;
  /** The address is known to be theirs: made by a site admin, or from an invitation mailed to it. */
  emailProven?: boolean;
}

export const USER_COLUMNS = `id, username, email, fullname, initials, time_zone AS "timeZone", text_mode AS "textMode",
  auto_refresh AS "autoRefresh", charset, language, is_admin AS "isAdmin", login_disabled AS "loginDisabled", mail_added AS "mailAdded",
  mail_mentions AS "mailMentions", mail_due AS "mailDue", mail_watched AS "mailWatched", mail_digest AS "mailDigest",
  created_at AS "createdAt"`;

export class UsernameTakenError extends Error {
  override name = 'UsernameTakenError';
}
export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
}

export class Users {
  constructor(private readonly sql: Sql) {}

  async count(): Promise<number> {
    return (await this.sql.value<number>('SELECT count(*) FROM users'))!;
  }

  /** Notes that the account's address is its own (it used a link mailed there). */
  async setEmailProven(userId: string): Promise<void> {
    await this.sql.run('UPDATE users SET email_proven = 1 WHERE id = ? AND email_proven = 0', userId);
  }

  /** The first account becomes site admin, as in WeKan (decided inside the same transaction). */
  create(input: NewUser): Promise<User> {
    return this.sql.transaction(async (): Promise<User> => {
      await this.sql.lock('first account'); // two first sign-ups at once on PostgreSQL: one admin
      await this.refuseTaken(input);
      const id = newId();
      const at = now();
      const isAdmin = await this.count() === 0 ? 1 : 0;
      try {
        await this.sql.run(`INSERT INTO users (id, username, email, password_hash, fullname, is_admin, email_proven, created_at, modified_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, input.username, input.email, input.passwordHash, input.fullname ?? '', isAdmin,
        input.emailProven ? 1 : 0, at, at);
      } catch (error) {
        await this.refuseTaken(input); // another instance took the name or address a moment ago
        throw error;
      }
      return (await this.byId(id))!;
    });
  }

  byId(id: string): Promise<User | undefined> {
    return this.sql.one<User>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, id);
  }

  byUsername(username: string): Promise<User | undefined> {
    return this.sql.one<User>(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`, username);
  }

  /** The account with this email address, whatever its case (for a forgotten password). */
  byEmail(address: string): Promise<User | undefined> {
    return this.sql.one<User>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower(?) LIMIT 1`, address);
  }

  /** For sign-in: the account named by username or email, with its password hash. */
  async credentials(login: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const row = await this.sql.one<User & { passwordHash: string }>(
      `SELECT ${USER_COLUMNS}, password_hash AS "passwordHash" FROM users WHERE username = ? OR email = ?
       ORDER BY CASE WHEN username = ? THEN 0 ELSE 1 END LIMIT 1`, login, login, login);
    if (!row) return undefined;
    const { passwordHash, ...user } = row;
    return { user, passwordHash };
  }

  /** Saves the profile. Turning the daily summary off lets what was held for it go at the next round. */
  async updateProfile(userId: string, profile: Profile): Promise<void> {
    await this.sql.transaction(async () => {
      if (!profile.mailDigest) await this.sql.run('UPDATE mail_held SET send_after_ms = 0 WHERE user_id = ? AND digest = 1', userId);
      await this.sql.run(`UPDATE users SET fullname = ?, initials = ?, time_zone = ?, text_mode = ?, auto_refresh = ?, charset = ?, language = ?,
        mail_added = ?, mail_mentions = ?, mail_due = ?, mail_watched = ?, mail_digest = ?, modified_at = ? WHERE id = ?`,
      profile.fullname, profile.initials, profile.timeZone, profile.textMode ? 1 : 0, profile.autoRefresh ? 1 : 0, profile.charset, profile.language,
      ...[profile.mailAdded, profile.mailMentions, profile.mailDue, profile.mailWatched, profile.mailDigest].map((on) => (on ? 1 : 0)),
      now(), userId);
    });
  }

  passwordHash(userId: string): Promise<string | undefined> {
    return this.sql.value<string>('SELECT password_hash FROM users WHERE id = ?', userId);
  }

  /**
   * A new password ends every other session of the account (`keepSession` is the one in use), the
   * API tokens got by signing in with the old one, and every reset link still open (a reset that used
   * one ends the others); API keys an admin made stay.
   */
  setPassword(userId: string, passwordHash: string, keepSession: string | null): Promise<void> {
    return this.sql.transaction(async () => {
      await this.sql.run('UPDATE users SET password_hash = ?, modified_at = ? WHERE id = ?', passwordHash, now(), userId);
      await this.sql.run('DELETE FROM sessions WHERE user_id = ? AND token_hash IS DISTINCT FROM ?', userId, keepSession);
      await this.sql.run("DELETE FROM api_tokens WHERE user_id = ? AND kind = 'login'", userId);
      await this.sql.run("UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND purpose = 'reset' AND used_at IS NULL", now(), userId);
    });
  }

  /** Usernames by id, for naming people in histories (unknown ids are left out). */
  async usernames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.sql.all<{ id: string; username: string }>(
      `SELECT id, username FROM users WHERE id IN (${placeholders(unique.length)})`, ...unique);
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  /** Every account, for the admin's /people page. */
  /** How many accounts have an address in each domain (the part after the last @, lower-cased), most first. */
  async domainCounts(): Promise<{ domain: string; count: number }[]> {
    const rows = await this.sql.all<{ email: string }>('SELECT email FROM users WHERE email IS NOT NULL');
    const counts = new Map<string, number>();
    for (const { email } of rows) {
      const domain = domainOf(email);
      if (domain) counts.set(domain, (counts.get(domain) ?? 0) + 1);
    }
    return [...counts].map(([domain, count]) => ({ domain, count })).sort((a, b) => b.count - a.count || a.domain.localeCompare(b.domain));
  }

  all(): Promise<User[]> {
    return this.sql.all<User>(`SELECT ${USER_COLUMNS} FROM users ORDER BY lower(username), username`);
  }

  async adminCount(): Promise<number> {
    return (await this.sql.value<number>('SELECT count(*) FROM users WHERE is_admin = 1 AND login_disabled = 0'))!;
  }

  async setAdmin(userId: string, isAdmin: boolean): Promise<void> {
    await this.sql.run('UPDATE users SET is_admin = ?, modified_at = ? WHERE id = ?', isAdmin ? 1 : 0, now(), userId);
  }

  /** Disabling an account also ends its sessions. */
  setLoginDisabled(userId: string, disabled: boolean): Promise<void> {
    return this.sql.transaction(async () => {
      await this.sql.run('UPDATE users SET login_disabled = ?, modified_at = ? WHERE id = ?', disabled ? 1 : 0, now(), userId);
      if (disabled) await this.sql.run('DELETE FROM sessions WHERE user_id = ?', userId);
    });
  }

  /** Rows per table, for /information. */
  async counts(): Promise<Record<string, number>> {
    const tables = ['users', 'boards', 'lists', 'cards', 'comments', 'checklist_items', 'activities'];
    const counts = await Promise.all(tables.map(async (table) => [table, (await this.sql.value<number>(
      `SELECT count(*) FROM ${table}`))!]));
    return Object.fromEntries(counts);
  }

  /** Throws when the username or email address belongs to an account already. */
  private async refuseTaken(input: NewUser): Promise<void> {
    if (await this.byUsername(input.username)) throw new UsernameTakenError(input.username);
    if (input.email && await this.sql.value('SELECT 1 FROM users WHERE email = ?', input.email)) throw new EmailTakenError(input.email);
  }
}
