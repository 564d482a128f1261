// The signed-in user's own settings: /profile (name, initials, time zone, lite pages, page characters) and
// /change-password.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isTimeZone, timeZones } from '../dates.js';
import { hashPassword } from '../passwords.js';
import { checkPasswordTypedTwice } from '../validation.js';
import type { Authenticator } from '../web/auth.js';
import { requireUser } from '../web/access.js';
import { formBody, text } from '../web/forms.js';
import { forgetCharsetChoice } from '../web/page-charset.js';
import { forgetLanguageChoice, messagesFor } from '../web/language.js';
import { isLanguage, LANGUAGES, message, type Localized } from '../i18n/messages.js';
import { profileOf, type Profile } from '../store/users.js';
import { seeOther } from '../web/redirect.js';

/** The charsets a user may choose for their pages ('' = automatic), as the profile page lists them (message keys). */
const CHARSET_CHOICES = [
  { value: '', label: 'profile.charsetAuto' },
  { value: 'utf-8', label: 'profile.charsetUtf8' },
  { value: 'iso-8859-1', label: 'profile.charsetLatin1' },
  { value: 'windows-1252', label: 'profile.charsetWindows' },
];

async function showProfile(request: FastifyRequest, reply: FastifyReply, form?: Profile, errors: Localized[] = [], status = 200) {
  const user = requireUser(request);
  return reply.page('profile', {
    title: messagesFor(request).t('profile.title'),
    user,
    form: form ?? profileOf(user),
    languages: LANGUAGES,
    mailOn: request.server.wamiConfig.smtpUrl !== null,
    digestHour: String(request.server.wamiConfig.mailDigestHour).padStart(2, '0'),
    heldForSummary: user.mailDigest ? await request.server.store.heldMail.countFor(user.id) : 0,
    zones: timeZones(),
    charsets: CHARSET_CHOICES,
    sessions: await request.server.store.sessions.countFor(user.id),
    errors,
    saved: (request.query as { saved?: string }).saved === '1',
  }, status);
}

function showChangePassword(request: FastifyRequest, reply: FastifyReply, errors: Localized[] = [], status = 200) {
  requireUser(request);
  return reply.page('change-password', {
    title: messagesFor(request).t('changePassword.title'),
    errors,
    changed: (request.query as { changed?: string }).changed === '1',
  }, status);
}

export const profilePages: FastifyPluginAsync<{ authenticator: Authenticator }> = async (app, { authenticator }) => {
  app.get('/profile', (request, reply) => showProfile(request, reply));

  app.post('/profile', async (request, reply) => {
    const user = requireUser(request);
    const body = formBody(request);
    const form: Profile = {
      fullname: text(body, 'fullname').trim(),
      initials: text(body, 'initials').trim(),
      timeZone: text(body, 'timeZone'),
      textMode: text(body, 'textMode') === '1',
      autoRefresh: text(body, 'autoRefresh') === '1',
      charset: text(body, 'charset'),
      language: text(body, 'language'),
      mailAdded: text(body, 'mailAdded') === '1',
      mailMentions: text(body, 'mailMentions') === '1',
      mailDue: text(body, 'mailDue') === '1',
      mailWatched: text(body, 'mailWatched') === '1',
      mailDigest: text(body, 'mailDigest') === '1',
    };
    const { t } = messagesFor(request);
    const errors: Localized[] = [];
    if ([...form.fullname].length > 100) errors.push(t('profile.errorFullname', { max: 100 }));
    if ([...form.initials].length > 4) errors.push(t('profile.errorInitials', { max: 4 }));
    if (!isTimeZone(form.timeZone)) errors.push(t('profile.errorTimeZone'));
    if (!CHARSET_CHOICES.some((c) => c.value === form.charset)) errors.push(t('profile.errorCharset'));
    if (form.language !== '' && !isLanguage(form.language)) errors.push(t('profile.errorLanguage'));
    if (errors.length) return showProfile(request, reply, form, errors, 422);
    await request.server.store.users.updateProfile(user.id, form);
    // A visitor's earlier ?charset= choice would hide the preference just saved; so would ?lang= for "automatic".
    forgetCharsetChoice(reply);
    forgetLanguageChoice(reply);
    return seeOther(request, reply, '/profile?saved=1');
  });

  app.get('/change-password', (request, reply) => showChangePassword(request, reply));

  app.post('/change-password', async (request, reply) => {
    const user = requireUser(request);
    const body = formBody(request);
    const { store } = request.server;
    const current = await authenticator.checkCurrent(user, text(body, 'current'), request.ip);
    if (current.outcome === 'limited') {
      reply.header('Retry-After', String(current.retryAfter));
      const minutes = Math.ceil(current.retryAfter / 60);
      return showChangePassword(request, reply, [message('pageErrors.tooManyPasswordTries', { minutes })], 429);
    }
    if (current.outcome === 'wrong') return showChangePassword(request, reply, [message('pageErrors.currentPasswordWrong')], 403);
    const fresh = checkPasswordTypedTwice(text(body, 'password'), text(body, 'password2'));
    if (!fresh.ok) return showChangePassword(request, reply, [fresh.error], 422);
    await store.users.setPassword(user.id, await hashPassword(fresh.value), request.viewer?.sessionHash ?? null);
    request.server.basicAuthCache.clear();
    return seeOther(request, reply, '/change-password?changed=1');
  });
};

