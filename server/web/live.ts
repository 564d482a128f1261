// Live pages without sockets. A board, list or card page ends in a meta refresh into its own wait URL
// (…/wait?since=V); the server holds that request until the board passes version V (or the wait times
// out) and answers with the fresh page, which again ends in a meta refresh.
//
// Pages are rendered once per (board version, view, role, options) and shared (PageCache); each
// response fills in the viewer's own name, CSRF token, the time and who else is here.
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Board } from '../store/boards.js';
import { InProcessBus, type ChangeBus } from '../live/bus.js';
import { TooManyWaitersError, WaiterRegistry, type WakeReason } from '../live/waiters.js';
import { PageCache } from './page-cache.js';
import { pageCharset } from './page-charset.js';
import { messagesFor, pageLanguage } from './language.js';
import { message } from '../i18n/messages.js';
import { sendHtml, type PageTemplate } from './render.js';
import { escapeHtml } from './escape.js';
import { siteSettings } from './site.js';
import { acceptsGzip } from './encoding.js';

declare module 'fastify' {
  interface FastifyInstance {
    waiters: WaiterRegistry;
    pageCache: PageCache;
  }
}

export function installLive(app: FastifyInstance, bus: ChangeBus = new InProcessBus()): void {
  const { store, wamiConfig } = app;
  store.onBoardChanged((boardId, version) => bus.publish(boardId, version));
  const waiters = new WaiterRegistry(bus, { timeoutMs: wamiConfig.waitSeconds * 1000, max: wamiConfig.maxWaiters });
  app.decorate('waiters', waiters);
  app.decorate('pageCache', new PageCache(wamiConfig.pageCache));
  app.caches.set('pages', app.pageCache);
  app.caches.set('page_keys', keyDigests);
  // On shutdown, answer every held wait at once instead of letting close() wait for them.
  app.addHook('preClose', async () => waiters.close());
}

/** `since` as sent: a whole number, else null (answered at once, never held). */
export function parseSince(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

/** The meta refresh of a live page: `N;url=…/wait?since=V`, or null when the viewer turned it off. */
export function refreshTarget(request: FastifyRequest, pageUrl: string, version: number, query = ''): string | null {
  if (request.viewer && !request.viewer.user.autoRefresh) return null;
  return `${request.server.wamiConfig.refreshSeconds};url=${pageUrl}/wait?since=${version}${query ? `&${query}` : ''}`;
}

/** Seconds a kiosk waits before retrying after the server said it is stopping (a restart takes a moment). */
export const RESTART_RETRY_SECONDS = 15;
/** Seconds between retries when a wall's board is gone. */
export const GONE_RETRY_SECONDS = 60;

/**
 * 'now' when there is nothing to wait for (`since` missing, bad, in the past or the future); 'busy' when
 * the server holds as many waits as it may: the caller answers 503 with a page that keeps its Refresh link.
 */
export async function holdForChange(request: FastifyRequest, reply: FastifyReply, board: Board, since: number | null)
  : Promise<WakeReason | 'now' | 'busy'> {
  if (since === null || since !== board.version) return 'now';
  try {
    return await request.server.waiters.wait(board.id, since, {
      userId: request.viewer?.user.id ?? null,
      username: request.viewer?.user.username ?? null,
    }, (cancel) => reply.raw.once('close', cancel));
  } catch (error) {
    if (!(error instanceof TooManyWaitersError)) throw error;
    reply.header('Retry-After', '10');
    return 'busy';
  }
}

/** Shown on a board or card page when the server holds as many long polls as it may. */
export const BUSY_MESSAGE = message('live.busy');

/**
 * "Also here: …" from the waiters held on the board, the viewer left out. A page answering a wake-up
 * uses who was there at the wake: the same words for everyone woken together.
 */
export function hereLine(request: FastifyRequest, boardId: string, woken = false): string {
  const { waiters } = request.server;
  const { usernames, visitors } = woken ? waiters.watchersAtWake(boardId) : waiters.watchers(boardId);
  const words = messagesFor(request);
  const names = usernames.filter((u) => u !== request.viewer?.user.username).map(escapeHtml);
  if (visitors) names.push(words.html('live.visitors', {}, { count: visitors }));
  return names.length ? words.html('live.alsoHere', { names: names.join(', ') }) : words.html('live.nobody', {});
}

export interface SharedPage {
  /** What makes the page differ, besides the viewer's own slots (board version, view, since, filter…). */
  key: string[];
  board: Board;
  /** True when the page shows things that only this user sees (their own comments' edit links…). */
  personal?: boolean;
  render: () => PageTemplate | Promise<PageTemplate>;
  status?: number;
  /** The "who is here" slot; by default the names of the others watching. */
  here?: (request: FastifyRequest) => string;
  /** The page answers a wake-up (so "who is here" is the burst's snapshot). */
  woken?: boolean;
}

/** The 10,000 most recently used page keys' digests. */
const keyDigests = new LRUCache<string, string>({ max: 10_000 });

/** A short digest of a page key, remembered: an unchanged page is asked for by key again and again. */
function digestOf(key: string): string {
  let digest = keyDigests.get(key);
  if (!digest) {
    digest = createHash('sha1').update(key).digest('base64url');
    keyDigests.set(key, digest);
  }
  return digest;
}

/**
 * Sends a board page through the page cache: rendered once per key and viewer kind, an ETag from the
 * key and the user, 304 when the browser has it already.
 */
export async function sendShared(request: FastifyRequest, reply: FastifyReply, page: SharedPage): Promise<FastifyReply> {
  const viewer = request.viewer?.user;
  const kind = viewer
    ? `${viewer.timeZone}\u0001${viewer.textMode}\u0001${viewer.autoRefresh}\u0001${viewer.isAdmin}\u0001${request.viewer!.via}\u0001${page.personal ? viewer.id : ''}`
    : 'visitor';
  const key = `${page.key.join('\u0001')}\u0001${kind}\u0001${pageCharset(request)}\u0001${pageLanguage(request)}\u0001${siteSettings(request).siteTitle}`;
  const gzip = acceptsGzip(request);
  // The viewer is in the tag: a browser shared by two people must not show one the other's page. So is
  // the encoding: a strong tag names one representation.
  const etag = `"${digestOf(key)}.${viewer?.id ?? ''}${gzip ? '.gz' : ''}"`;
  reply.header('ETag', etag).header('Vary', 'Accept-Encoding, Accept-Language, Cookie');
  const status = page.status ?? 200;
  if (status === 200 && request.headers['if-none-match'] === etag) return reply.code(304).send();
  const template = await request.server.pageCache.obtain(key, page.render);
  const here = page.here ? page.here(request) : hereLine(request, page.board.id, page.woken);
  if (gzip) reply.header('Content-Encoding', 'gzip');
  return sendHtml(reply, template, status, here, gzip);
}
