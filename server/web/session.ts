// Who is asking: a session cookie (random token, stored hashed, expiring), or HTTP Basic auth for
// browsers that refuse cookies (Dillo's default) and for scripts.
import { LRUCache } from 'lru-cache';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../store/users.js';
import type { Authenticator } from './auth.js';
import { onHttps } from './redirect.js';

export const SESSION_COOKIE = 'wami_session';
/** Set by the sign-in and sign-up pages; a form post without it comes from a browser refusing cookies. */
export const FORM_COOKIE = 'wami_form';

export interface Viewer {
  user: User;
  via: 'session' | 'basic' | 'token';
  /** What this viewer's CSRF token is bound to. */
  csrfBinding: string;
  /** The session token's hash, to end the session on sign-out. */
  sessionHash?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
  interface FastifyInstance {
    basicAuthCache: BasicCache;
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function cookieOptions(request: FastifyRequest) {
  // Secure on the https origin only: the same server may also answer a LAN's plain-HTTP listener.
  const secure = onHttps(request);
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
}

export async function startSession(request: FastifyRequest, reply: FastifyReply, user: User): Promise<void> {
  const token = newToken();
  const days = request.server.wamiConfig.sessionDays;
  const expires = new Date(Date.now() + days * 24 * 3600 * 1000);
  await request.server.store.sessions.create(hashToken(token), user.id, expires.toISOString());
  // Expires (not only Max-Age): old browsers know only Expires.
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(request), expires });
  reply.clearCookie(FORM_COOKIE, { path: '/' });
}

/** A signed-in session as the hook keeps it for a second: what the database said, and its hash. */
interface KnownSession {
  user: User;
  sessionHash: string;
  /** When the session ends, in ms; renewed once half its period is gone. */
  expiresMs: number;
}

/**
 * A session in use lives on (a kiosk's wall refreshes for months): once half its period is gone, it is
 * extended and the cookie sent again. At most one write per session per half period.
 */
async function renewSession(request: FastifyRequest, reply: FastifyReply, token: string, session: KnownSession): Promise<void> {
  const periodMs = request.server.wamiConfig.sessionDays * 24 * 3600 * 1000;
  const nowMs = Date.now();
  if (session.expiresMs >= nowMs + periodMs / 2) return;
  const expires = new Date(nowMs + periodMs);
  await request.server.store.sessions.renew(session.sessionHash, expires.toISOString());
  session.expiresMs = expires.getTime(); // the cached copy too
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(request), expires });
}

export async function endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const hash = request.viewer?.sessionHash;
  if (hash) await request.server.store.sessions.delete(hash);
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
}

/**
 * Ends every browser session of the signed-in user and the API's login tokens (a lost phone, a shared
 * kiosk); long-lived API tokens made by `create-token` stay, as they are credentials of their own.
 * Returns how many sessions and tokens ended.
 */
export async function endEverySession(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<number> {
  const { store } = request.server;
  const ended = await store.atomically(async () =>
    await store.sessions.deleteAllFor(userId) + await store.apiTokens.revokeAll(userId, 'login'));
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
  return ended;
}

/** The value bound into the sign-in and sign-up forms' tokens; set as a cookie when missing. */
export function formCookie(request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[FORM_COOKIE];
  if (existing && /^[\w-]{20,64}$/.test(existing)) return existing;
  const fresh = newToken();
  reply.setCookie(FORM_COOKIE, fresh, cookieOptions(request));
  return fresh;
}

/** Basic credentials verified recently, by a hash of the header: scrypt on every request would be slow.
 *  Cleared whenever a password changes, so an old password stops working at once. */
export class BasicCache {
  /** User ids by header hash, for five minutes; the 1,000 most recently used headers. */
  private readonly entries = new LRUCache<string, string>({ max: 1000, ttl: 5 * 60 * 1000 });

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }

  get max(): number {
    return this.entries.max;
  }

  clear(): void {
    this.entries.clear();
  }

  set(key: string, userId: string): void {
    this.entries.set(key, userId);
  }
}

function parseBasic(header: string | undefined): { login: string; password: string } | undefined {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Sessions looked up in the last second, by their token as sent (so a request in that second needs
 * neither a hash nor a query): a page watched by many is asked for often. Each entry notes the store's
 * count of account and session changes when it was read, and is used only while that count stays the
 * same: a sign-out, a new password or a disabled account is seen by the very next request.
 */
class SessionCache {
  /** The 10,000 most recently used sessions, each for a second. */
  private readonly entries = new LRUCache<string, { session: KnownSession; changes: number }>({ max: 10_000, ttl: 1000 });

  get size(): number {
    return this.entries.size;
  }

  get max(): number {
    return this.entries.max;
  }

  get(token: string, changes: number): KnownSession | undefined {
    const hit = this.entries.get(token);
    return hit && hit.changes === changes ? hit.session : undefined;
  }

  set(token: string, session: KnownSession, changes: number): void {
    this.entries.set(token, { session, changes });
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The session behind a cookie's token, from the cache or the database; undefined when it is not valid. */
async function knownSession(request: FastifyRequest, token: string, cache: SessionCache): Promise<KnownSession | undefined> {
  const { sessions } = request.server.store;
  const changes = await sessions.accountChanges();
  const cached = cache.get(token, changes);
  if (cached) return cached;
  const sessionHash = hashToken(token);
  const found = await sessions.find(sessionHash);
  if (!found) return undefined;
  const session = { user: found.user, sessionHash, expiresMs: Date.parse(found.expiresAt) };
  cache.set(token, session, changes);
  return session;
}

export function installSessions(app: FastifyInstance, authenticator: Authenticator): void {
  const basicCache = new BasicCache();
  const sessionCache = new SessionCache();
  app.decorate('basicAuthCache', basicCache);
  app.caches.set('sessions', sessionCache);
  app.caches.set('basic_auth', basicCache);
  app.decorateRequest('viewer', null);
  // A lost write batch is undone, its count of changes too: what was read from it must go.
  app.store.writer?.onFailed(() => sessionCache.clear());

  app.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await knownSession(request, token, sessionCache) : undefined;
    if (session) {
      const { user, sessionHash } = session;
      request.viewer = { user, via: 'session', csrfBinding: `session:${sessionHash}`, sessionHash };
      await renewSession(request, reply, token!, session);
      return;
    }
    const basic = parseBasic(request.headers.authorization);
    if (basic) request.viewer = await basicViewer(request, basic, basicCache, authenticator);
  });
}

/** The Basic-auth user of the request (verified once, then remembered by the header's hash), or null. */
async function basicViewer(request: FastifyRequest, basic: { login: string; password: string }, basicCache: BasicCache,
  authenticator: Authenticator): Promise<Viewer | null> {
  const cacheKey = hashToken(request.headers.authorization!);
  const cachedUserId = basicCache.get(cacheKey);
  let user = cachedUserId ? await request.server.store.users.byId(cachedUserId) : undefined;
  if (!user) {
    const result = await authenticator.check(basic.login, basic.password, request.ip);
    if (result.outcome !== 'ok') return null;
    user = result.user;
    basicCache.set(cacheKey, user.id);
  }
  if (user.loginDisabled) return null;
  // bound to the credentials themselves: a new password is a new header, so forms made for the old one go stale
  return { user, via: 'basic', csrfBinding: `basic:${cacheKey}` };
}
