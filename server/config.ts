// Every setting Wami reads, typed, from WAMI_* environment variables. Documented in the README.
import net from 'node:net';
import path from 'node:path';

export interface Config {
  /** TCP port to listen on. */
  port: number;
  /** Address to bind; 127.0.0.1 keeps Wami behind a reverse proxy. */
  host: string;
  /** Folder that holds wami.db, tmp/ and (unless attachmentsDir says otherwise) attachments/. */
  dataDir: string;
  /** Where attachment files live: the data folder's attachments/, or a folder every instance shares. */
  attachmentsDir: string;
  /** Public origin (scheme://host[:port]) for links handed to others (webhooks, invitations); null = from the request. */
  baseUrl: string | null;
  /**
   * Every origin Wami is reached at, the public one first (WAMI_BASE_URL, a list): a request whose Host
   * is one of them is answered with that origin (its scheme too: the LAN's plain-HTTP listener gets
   * http redirects and cookies without Secure); any other Host gets the first.
   */
  origins: string[];
  /** Proxy addresses whose X-Forwarded-For, -Proto and -Host are believed (fastify's trustProxy); false: none. */
  trustProxy: string | false;
  /** How long a sign-in lasts. */
  sessionDays: number;
  /** Whether /sign-up is open to anyone (WeKan's default) or closed. */
  allowSignUp: boolean;
  /** Largest request body accepted, in bytes (forms; attachments have their own limit). */
  bodyLimit: number;
  /** Write one JSON log line per request. */
  log: boolean;
  /** Seconds a board page waits before its meta refresh opens the long poll. */
  refreshSeconds: number;
  /** Seconds a long poll is held without a change before it answers with the same page anew. */
  waitSeconds: number;
  /** The most long polls held at once; more get 503 with Retry-After. */
  maxWaiters: number;
  /** How many rendered pages (board versions × views × roles) are kept for reuse; 0 turns caching off. */
  pageCache: number;
  /** Bearer token that opens /metrics to other machines; empty: only to this machine, not through a proxy. */
  metricsToken: string;
  /** Gather concurrent writes into one commit (store/writer.ts); false commits each by itself. */
  groupCommit: boolean;
  /** postgres://… : the store is on that PostgreSQL (several instances may share it); null: SQLite in dataDir. */
  databaseUrl: string | null;
  /** Connections this instance keeps to PostgreSQL (its pool; the change bus takes one more). */
  databasePool: number;
  /** Largest attachment accepted, in bytes. */
  maxFileBytes: number;
  /** The most files one upload form may carry. */
  maxFilesPerUpload: number;
  /** Bytes of attachments each user may have stored; 0 means no quota. */
  userQuotaBytes: number;
  /** Largest board export file (WeKan, Trello, CSV) an import takes, in bytes: it is read into memory. */
  maxImportBytes: number;
  /** Whether webhooks may point at loopback, LAN and link-local addresses (off: request forgery). */
  webhookPrivate: boolean;
  /** Wait before a failed webhook delivery's first retry; each next wait doubles, up to an hour. */
  webhookRetryMs: number;
  /** smtp://user:password@host:port or smtps://…: where mail is sent from; null: email is off. */
  smtpUrl: string | null;
  /** The From of every mail Wami sends. */
  mailFrom: string;
  /** The first wait before a failed mail is tried again (then doubling, up to an hour). */
  mailRetryMs: number;
  /** The hour (0-23, in each person's time zone) at which daily summaries of notifications go out. */
  mailDigestHour: number;
  /** How often the notification rounds run: due reminders, daily summaries, gathered moves. */
  mailRoundMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, not "${raw}"`);
}

/** Origins only, separated by commas or spaces: Wami serves from the root of its host name (README, "Settings"). */
function origins(env: Env, name: string): string[] {
  return (env[name] ?? '').split(/[\s,]+/).filter(Boolean).map((raw) => origin(name, raw));
}

function origin(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL such as https://kanban.example.org, not "${raw}"`);
  }
  if (!/^https?:$/.test(url.protocol) || (url.pathname !== '/' && url.pathname !== '') || url.search) {
    throw new ConfigError(`${name} must be an http(s) origin without a path, not "${raw}"`);
  }
  return url.origin;
}

/** A shared secret: empty (none), or at least 16 characters without spaces (it travels in a header). */
function secret(env: Env, name: string): string {
  const raw = env[name] ?? '';
  if (raw !== '' && (raw.length < 16 || /\s/.test(raw))) {
    throw new ConfigError(`${name} must be at least 16 characters without spaces (or empty), not ${raw.length} characters`);
  }
  return raw;
}

/** Addresses and networks (a.b.c.d, a.b.c.d/n, IPv6 alike), comma-separated; "false" or "none" for none. */
function proxies(env: Env, name: string, fallback: string): string | false {
  const raw = (env[name] ?? fallback).trim();
  if (/^(false|none|off|no)$/i.test(raw) || raw === '') return false;
  const parts = raw.split(/[\s,]+/).filter(Boolean);
  for (const part of parts) {
    const [address = '', bits, extra] = part.split('/');
    const family = net.isIP(address);
    const prefixOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!family || !prefixOk || extra !== undefined) {
      throw new ConfigError(`${name} must list proxy addresses or networks such as 127.0.0.1,::1 or 10.0.0.0/8 (or be false), not "${part}"`);
    }
  }
  return parts.join(',');
}

function smtpUrl(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (!/^smtps?:\/\/./.test(raw)) throw new ConfigError(`${name} must be an SMTP URL (smtp://user:password@host:587 or smtps://…:465)`);
  return raw;
}

/** An address as a From header takes it: `wami@example.org` or `Wami <wami@example.org>`. */
function mailFrom(env: Env, name: string): string {
  const raw = env[name]?.trim() || 'Wami <wami@localhost>';
  if (!/^([^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(raw)) {
    throw new ConfigError(`${name} must be an address such as wami@example.org or "Wami <wami@example.org>"`);
  }
  return raw;
}

function databaseUrl(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (!/^postgres(ql)?:\/\/./.test(raw)) throw new ConfigError(`${name} must be a PostgreSQL URL (postgres://user:password@host:port/database)`);
  return raw;
}

export function loadConfig(env: Env = process.env): Config {
  return {
    port: integer(env, 'WAMI_PORT', 5500, 0, 65535),
    host: env.WAMI_HOST || '0.0.0.0',
    dataDir: path.resolve(env.WAMI_DATA || 'wekandata'),
    attachmentsDir: path.resolve(env.WAMI_ATTACHMENTS_DIR || path.join(env.WAMI_DATA || 'wekandata', 'attachments')),
    baseUrl: origins(env, 'WAMI_BASE_URL')[0] ?? null,
    origins: origins(env, 'WAMI_BASE_URL'),
    trustProxy: proxies(env, 'WAMI_TRUST_PROXY', '127.0.0.1,::1'),
    sessionDays: integer(env, 'WAMI_SESSION_DAYS', 30, 1, 3650),
    allowSignUp: boolean(env, 'WAMI_ALLOW_SIGN_UP', true),
    bodyLimit: integer(env, 'WAMI_BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    log: boolean(env, 'WAMI_LOG', true),
    refreshSeconds: integer(env, 'WAMI_REFRESH_SECONDS', 2, 0, 3600),
    waitSeconds: integer(env, 'WAMI_WAIT_SECONDS', 50, 1, 600),
    maxWaiters: integer(env, 'WAMI_MAX_WAITERS', 20000, 0, 1_000_000),
    pageCache: integer(env, 'WAMI_PAGE_CACHE', 300, 0, 100_000),
    groupCommit: boolean(env, 'WAMI_GROUP_COMMIT', true),
    databaseUrl: databaseUrl(env, 'WAMI_DATABASE_URL'),
    databasePool: integer(env, 'WAMI_DATABASE_POOL', 10, 1, 1000),
    maxFileBytes: integer(env, 'WAMI_MAX_FILE_BYTES', 2 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    maxFilesPerUpload: integer(env, 'WAMI_MAX_FILES_PER_UPLOAD', 10, 1, 1000),
    userQuotaBytes: integer(env, 'WAMI_USER_QUOTA_BYTES', 0, 0, Number.MAX_SAFE_INTEGER),
    // 128 MiB: WeKan's users report exports of up to 120 MB; the text and its parse take about 4x in memory,
    // and past 512 MiB the text would not fit in one JavaScript string.
    maxImportBytes: integer(env, 'WAMI_MAX_IMPORT_BYTES', 128 * 1024 ** 2, 1024, 400 * 1024 ** 2),
    webhookPrivate: boolean(env, 'WAMI_WEBHOOK_PRIVATE', false),
    webhookRetryMs: integer(env, 'WAMI_WEBHOOK_RETRY_MS', 10_000, 1, 3_600_000),
    metricsToken: secret(env, 'WAMI_METRICS_TOKEN'),
    smtpUrl: smtpUrl(env, 'WAMI_SMTP_URL'),
    mailFrom: mailFrom(env, 'WAMI_MAIL_FROM'),
    mailRetryMs: integer(env, 'WAMI_MAIL_RETRY_MS', 30_000, 1, 3_600_000),
    mailDigestHour: integer(env, 'WAMI_MAIL_DIGEST_HOUR', 7, 0, 23),
    mailRoundMs: integer(env, 'WAMI_MAIL_ROUND_MS', 60_000, 100, 3_600_000),
  };
}
