// Accounts: /sign-up, /sign-in, sign-out (POST), HTTP Basic sign-in for browsers that refuse cookies,
// and the page that explains how to allow cookies.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../web/auth.js';
import { hashPassword } from '../passwords.js';
import { EmailTakenError, UsernameTakenError } from '../store/users.js';
import { checkEmail, checkPasswordTypedTwice, checkUsername } from '../validation.js';
import { CSRF_FIELD, signToken, staleFormError, tokensMatch } from '../web/csrf.js';
import { HttpError, SignInRequired } from '../web/errors.js';
import { formBody, text, type FormBody } from '../web/forms.js';
import { safeNext, seeOther, siteHostname } from '../web/redirect.js';
import { endEverySession, endSession, FORM_COOKIE, formCookie, startSession } from '../web/session.js';
import { siteSettings } from '../web/site.js';
import { messagesFor } from '../web/language.js';
import { LANGUAGES, type Localized, message } from '../i18n/messages.js';

interface SignInForm {
  next: string;
  login?: string;
  error?: Localized | null;
}

interface SignUpForm {
  username?: string;
  email?: string;
  invite?: string;
  errors?: Localized[];
}

function formToken(request: FastifyRequest, value: string): string {
  return signToken(request.server.secret, `form:${value}`);
}

/**
 * The sign-in and sign-up forms are bound to a cookie set with the form. A post without that cookie
 * comes from a browser that refuses cookies (or from another site): 'missing'. A wrong token: 'stale'.
 */
function checkFormCookie(request: FastifyRequest, body: FormBody): 'ok' | 'missing' | 'stale' {
  const value = request.cookies[FORM_COOKIE];
  if (!value) return 'missing';
  return tokensMatch(text(body, CSRF_FIELD), formToken(request, value)) ? 'ok' : 'stale';
}

function showSignIn(request: FastifyRequest, reply: FastifyReply, form: SignInForm, status = 200) {
  const token = formToken(request, formCookie(request, reply));
  return reply.page('sign-in', {
    title: messagesFor(request).t('signIn.title'),
    languages: LANGUAGES,
    formToken: token,
    next: form.next,
    login: form.login ?? '',
    error: form.error ?? null,
    allowSignUp: siteSettings(request).registration === 'open',
    passwordReset: (request.query as { reset?: string }).reset === '1',
    signedOutEverywhere: (request.query as { everywhere?: string }).everywhere === '1',
  }, status);
}

function showSignUp(request: FastifyRequest, reply: FastifyReply, form: SignUpForm, status = 200) {
  const token = formToken(request, formCookie(request, reply));
  return reply.page('sign-up', {
    title: messagesFor(request).t('signUp.title'),
    formToken: token,
    username: form.username ?? '',
    email: form.email ?? '',
    invite: form.invite ?? '',
    errors: form.errors ?? [],
  }, status);
}

function signUpClosed(): HttpError {
  return new HttpError(403, message('errors.signUpClosed'), message('errors.signUpClosedDetail'));
}

/**
 * Whether this request may sign up: open sites yes; invite-only sites with an unused invitation
 * (its token in the link, then in the form); closed sites never.
 */
async function checkRegistration(request: FastifyRequest, invite: string): Promise<void> {
  const { registration } = siteSettings(request);
  if (await request.server.store.users.count() === 0) return; // the first account (the admin) can always be made
  if (registration === 'closed') throw signUpClosed();
  if (registration === 'invite-only' && await request.server.store.tokens.peek('invite', invite) === undefined) {
    throw new HttpError(403, message('errors.signUpInvite'), message('errors.signUpInviteDetail'));
  }
}

export const authPages: FastifyPluginAsync<{ authenticator: Authenticator }> = async (app, { authenticator }) => {
  app.get<{ Querystring: { next?: string } }>('/sign-in', (request, reply) => {
    const next = safeNext(request.query.next);
    if (request.viewer) return seeOther(request, reply, next);
    return showSignIn(request, reply, { next });
  });

  app.post('/sign-in', { config: { csrf: 'own' } }, async (request, reply) => {
    const body = formBody(request);
    const next = safeNext(text(body, 'next'));
    const form = checkFormCookie(request, body);
    if (form === 'missing') return seeOther(request, reply, `/cookies?next=${encodeURIComponent(next)}`);
    if (form === 'stale') throw staleFormError();
    const login = text(body, 'username').trim();
    const result = await authenticator.check(login, text(body, 'password'), request.ip);
    if (result.outcome === 'limited') {
      reply.header('Retry-After', String(result.retryAfter));
      const minutes = Math.ceil(result.retryAfter / 60);
      return showSignIn(request, reply, {
        next, login, error: message('pageErrors.tooManySignIns', { minutes }),
      }, 429);
    }
    if (result.outcome === 'wrong') {
      return showSignIn(request, reply, { next, login, error: message('pageErrors.wrongPassword') }, 401);
    }
    await startSession(request, reply, result.user);
    return seeOther(request, reply, next);
  });

  app.get<{ Querystring: { invite?: string } }>('/sign-up', async (request, reply) => {
    const invite = request.query.invite ?? '';
    await checkRegistration(request, invite);
    if (request.viewer) return seeOther(request, reply, '/');
    return showSignUp(request, reply, { invite });
  });

  app.post('/sign-up', { config: { csrf: 'own' } }, async (request, reply) => {
    const body = formBody(request);
    const invite = text(body, 'invite');
    await checkRegistration(request, invite);
    const form = checkFormCookie(request, body);
    if (form === 'stale') throw staleFormError();
    const typed = { username: text(body, 'username'), email: text(body, 'email'), invite };
    const username = checkUsername(typed.username);
    const email = checkEmail(typed.email);
    const password = checkPasswordTypedTwice(text(body, 'password'), text(body, 'password2'));
    const errors = [username, email, password].flatMap((c) => (c.ok ? [] : [c.error]));
    if (!username.ok || !email.ok || !password.ok) {
      return showSignUp(request, reply, { ...typed, errors }, 422);
    }
    const { store } = request.server;
    const passwordHash = await hashPassword(password.value); // before the transaction: it takes a while
    const inviteOnly = siteSettings(request).registration === 'invite-only';
    let user;
    try {
      // The invitation is used up with the account made, or not at all: a taken username keeps it.
      user = await store.atomically(async () => {
        if (inviteOnly && await store.users.count() > 0 && !await store.tokens.use('invite', invite)) {
          throw new HttpError(409, message('errors.invitationUsed'), message('errors.invitationUsedDetail'));
        }
        return await store.users.create({ username: username.value, email: email.value, passwordHash });
      });
    } catch (error) {
      if (error instanceof UsernameTakenError) {
        return showSignUp(request, reply, { ...typed, errors: [message('pageErrors.usernameTaken')] }, 409);
      }
      if (error instanceof EmailTakenError) {
        return showSignUp(request, reply, { ...typed, errors: [message('pageErrors.emailTaken')] }, 409);
      }
      throw error;
    }
    if (form === 'missing') return seeOther(request, reply, '/cookies?created=1');
    await startSession(request, reply, user);
    return seeOther(request, reply, '/');
  });

  app.post('/sign-out', async (request, reply) => {
    if (!request.viewer) throw new SignInRequired();
    await endSession(request, reply);
    return seeOther(request, reply, '/sign-in');
  });

  app.post('/sign-out/everywhere', async (request, reply) => {
    const user = request.viewer?.user;
    if (!user) throw new SignInRequired();
    await endEverySession(request, reply, user.id);
    return seeOther(request, reply, '/sign-in?everywhere=1');
  });

  // HTTP Basic auth: the browser asks for the username and password itself and sends them with
  // every request, so no cookie is needed.
  app.get<{ Querystring: { next?: string } }>('/sign-in/basic', (request, reply) => {
    const next = safeNext(request.query.next);
    if (request.viewer) return seeOther(request, reply, next);
    reply.header('WWW-Authenticate', 'Basic realm="Wami", charset="UTF-8"');
    return reply.page('basic-auth', { title: messagesFor(request).t('basicAuth.title'), next }, 401);
  });

  app.get<{ Querystring: { next?: string; created?: string } }>('/cookies', (request, reply) => {
    return reply.page('cookies', {
      title: messagesFor(request).t('cookies.pageTitle'),
      next: safeNext(request.query.next),
      created: request.query.created === '1',
      host: siteHostname(request),
    });
  });
};
