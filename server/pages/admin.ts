// Site administration: /setting (who may sign up, the site's title), /people (accounts: admin rights,
// disabling, password-reset and invitation links), /information (versions and counts); and
// /reset-password/:token, where an admin-issued link leads.
import { message, type Localized } from '../i18n/messages.js';
import fs from 'node:fs';
import path from 'node:path';
import { messagesFor } from '../web/language.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Registration } from '../store/settings.js';
import { hashPassword } from '../passwords.js';
import { projectRoot } from '../paths.js';
import { checkPasswordTypedTwice } from '../validation.js';
import { requireUser } from '../web/access.js';
import { seeOther } from '../web/redirect.js';
import { publicUrl } from '../web/urls.js';
import { forbidden, HttpError, notFound } from '../web/errors.js';
import { formBody, text } from '../web/forms.js';
import { siteSettings } from '../web/site.js';

const REGISTRATIONS: Registration[] = ['open', 'invite-only', 'closed'];
const RESET_HOURS = 24;
const INVITE_HOURS = 7 * 24;
const version = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
const startedAt = new Date().toISOString();

function requireAdmin(request: FastifyRequest) {
  const user = requireUser(request);
  if (!user.isAdmin) throw forbidden(message('errors.adminsOnly'));
  return user;
}

/**
 * A link the admin hands on (a reset or an invitation): whole on the public origin, or, with no
 * WAMI_BASE_URL, its path only, which the page says to put after the site's address (the request's Host
 * is what a client says, never the host of a link).
 */
function handedLink(request: FastifyRequest, path: string): { link: string; linkIsPath: boolean } {
  const link = publicUrl(request.server.wamiConfig, path);
  return link === null ? { link: path, linkIsPath: true } : { link, linkIsPath: false };
}

async function showPeople(request: FastifyRequest, reply: FastifyReply,
  notice: { link?: string; linkIsPath?: boolean; what?: Localized; error?: Localized } = {}, status = 200) {
  const me = requireAdmin(request);
  return reply.page('people', {
    title: messagesFor(request).t('admin.people'),
    users: await request.server.store.users.all(),
    me: me.id,
    registration: siteSettings(request).registration,
    link: notice.link ?? null,
    linkIsPath: notice.linkIsPath ?? false,
    what: notice.what ?? null,
    errors: notice.error ? [notice.error] : [],
  }, status);
}

export const adminPages: FastifyPluginAsync = async (app) => {
  app.get('/setting', (request, reply) => {
    requireAdmin(request);
    return reply.page('setting', { title: messagesFor(request).t('admin.settings'), site: siteSettings(request), registrations: REGISTRATIONS, errors: [] });
  });

  app.post('/setting', async (request, reply) => {
    requireAdmin(request);
    const body = formBody(request);
    const site = { registration: text(body, 'registration') as Registration, siteTitle: text(body, 'siteTitle').trim() };
    const errors: Localized[] = [];
    if (!REGISTRATIONS.includes(site.registration)) errors.push(message('pageErrors.registration'));
    if (!site.siteTitle || [...site.siteTitle].length > 100) errors.push(message('pageErrors.siteTitle'));
    if (errors.length) return reply.page('setting', { title: messagesFor(request).t('admin.settings'), site, registrations: REGISTRATIONS, errors }, 422);
    await request.server.store.settings.saveSite(site);
    return seeOther(request, reply, '/setting');
  });

  app.get('/people', (request, reply) => showPeople(request, reply));

  app.post<{ Params: { userId: string } }>('/people/:userId/admin', async (request, reply) => {
    const me = requireAdmin(request);
    const { users } = request.server.store;
    const target = await users.byId(request.params.userId);
    if (!target) throw notFound();
    const makeAdmin = text(formBody(request), 'admin') === '1';
    if (!makeAdmin && target.isAdmin && await users.adminCount() <= 1) {
      return showPeople(request, reply, { error: message('pageErrors.lastAdmin') }, 409);
    }
    if (!makeAdmin && target.id === me.id) {
      return showPeople(request, reply, { error: message('pageErrors.ownAdmin') }, 409);
    }
    await users.setAdmin(target.id, makeAdmin);
    return seeOther(request, reply, '/people');
  });

  app.post<{ Params: { userId: string } }>('/people/:userId/login', async (request, reply) => {
    const me = requireAdmin(request);
    const target = await request.server.store.users.byId(request.params.userId);
    if (!target) throw notFound();
    const disable = text(formBody(request), 'disabled') === '1';
    if (disable && target.id === me.id) return showPeople(request, reply, { error: message('pageErrors.ownAccount') }, 409);
    await request.server.store.users.setLoginDisabled(target.id, disable);
    request.server.basicAuthCache.clear();
    return seeOther(request, reply, '/people');
  });

  // The link is shown once, on this answer, and never put in a URL the server logs.
  app.post<{ Params: { userId: string } }>('/people/:userId/reset-link', async (request, reply) => {
    const me = requireAdmin(request);
    const target = await request.server.store.users.byId(request.params.userId);
    if (!target) throw notFound();
    const token = await request.server.store.tokens.issue('reset', me.id, target.id, RESET_HOURS);
    return showPeople(request, reply, {
      ...handedLink(request, `/reset-password/${token}`),
      what: message('pageErrors.resetLinkMade', { username: target.username, hours: RESET_HOURS }),
    });
  });

  app.post('/people/invite', async (request, reply) => {
    const me = requireAdmin(request);
    const token = await request.server.store.tokens.issue('invite', me.id, null, INVITE_HOURS);
    return showPeople(request, reply, {
      ...handedLink(request, `/sign-up?invite=${token}`),
      what: message('pageErrors.invitationMade', { days: INVITE_HOURS / 24 }),
    });
  });

  app.get('/information', async (request, reply) => {
    requireAdmin(request);
    const { store } = request.server;
    return reply.page('information', {
      title: messagesFor(request).t('layout.information'),
      version,
      node: process.version,
      database: await store.describe(),
      startedAt,
      dataDir: request.server.wamiConfig.dataDir,
      publicAddress: request.server.wamiConfig.baseUrl,
      counts: await store.users.counts(),
      mail: { on: request.server.wamiConfig.smtpUrl !== null, ...await store.outbox.counts() },
    });
  });

  const invalidLink = () => new HttpError(404, message('errors.linkInvalid'), message('errors.linkInvalidDetail'));

  app.get<{ Params: { token: string } }>('/reset-password/:token', async (request, reply) => {
    const userId = await request.server.store.tokens.peek('reset', request.params.token);
    if (!userId) throw invalidLink();
    const user = (await request.server.store.users.byId(userId))!;
    return reply.page('reset-password', { title: messagesFor(request).t('resetPassword.title'), username: user.username, token: request.params.token, errors: [] });
  });

  app.post<{ Params: { token: string } }>('/reset-password/:token', { config: { csrf: false } }, async (request, reply) => {
    // No session to bind a CSRF token to: the secret token in the URL is the proof.
    const { store } = request.server;
    const userId = await store.tokens.peek('reset', request.params.token);
    if (!userId) throw invalidLink();
    const user = (await store.users.byId(userId))!;
    const body = formBody(request);
    const password = checkPasswordTypedTwice(text(body, 'password'), text(body, 'password2'));
    if (!password.ok) {
      return reply.page('reset-password', {
        title: messagesFor(request).t('resetPassword.title'), username: user.username, token: request.params.token, errors: [password.error],
      }, 422);
    }
    const hash = await hashPassword(password.value);
    await store.atomically(async () => {
      if (!await store.tokens.use('reset', request.params.token)) throw invalidLink();
      await store.users.setPassword(user.id, hash, null);
      // the link came by mail to the address (or from a site admin, who vouches for it): the address is theirs
      await store.users.setEmailProven(user.id);
    });
    request.server.basicAuthCache.clear();
    return seeOther(request, reply, '/sign-in?reset=1');
  });
};
