// /forgot-password (Step 10): a person who forgot their password types their email address and gets a
// single-use link to /reset-password/:token by mail. The answer is the same whether an account uses that
// address or not. Limits: requests per typed address (429, whoever's address it is) and mails per
// account (past it, nothing more is sent, and the answer does not change). With email off, or no public
// address to put in the link (WAMI_BASE_URL), the page says so and what an administrator can do instead.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { resetPasswordMail } from '../mail/messages.js';
import { checkEmail } from '../validation.js';
import { HttpError } from '../web/errors.js';
import { FailureLimiter } from '../web/failure-limiter.js';
import { formBody, text } from '../web/forms.js';
import { linkMail } from '../mail/link-mail.js';
import { publicUrl } from '../web/urls.js';
import { messagesFor } from '../web/language.js';
import { isLanguage, translator, type Localized, message } from '../i18n/messages.js';
import { siteSettings } from '../web/site.js';

/** How long an emailed link works. */
const LINK_HOURS = 1;
/** Requests per typed address in WINDOW_MS: a flood of them gets 429. */
const REQUESTS_PER_ADDRESS = 5;
/** Reset mails per account in WINDOW_MS: a mailbox is not flooded, whoever asks. */
const MAILS_PER_ACCOUNT = 3;
const WINDOW_MS = 60 * 60 * 1000;

interface ForgotForm {
  email?: string;
  errors?: Localized[];
  sentTo?: string;
}

function show(request: FastifyRequest, reply: FastifyReply, form: ForgotForm, status = 200) {
  return reply.page('forgot-password', {
    title: messagesFor(request).t('forgotPassword.title'),
    linkMail: linkMail(request.server.wamiConfig),
    email: form.email ?? '',
    errors: form.errors ?? [],
    sentTo: form.sentTo ?? null,
    hours: LINK_HOURS,
  }, status);
}

export const forgotPasswordPages: FastifyPluginAsync = async (app) => {
  // Requests are counted per typed address like failed sign-ins (same table, their own keys), so the
  // limit holds across restarts and instances.
  const requests = new FailureLimiter(app.store.signInFailures, REQUESTS_PER_ADDRESS, WINDOW_MS);

  app.get('/forgot-password', async (request, reply) => show(request, reply, {}));

  app.post('/forgot-password', async (request, reply) => {
    if (linkMail(request.server.wamiConfig) !== 'on') return show(request, reply, {});
    const typed = text(formBody(request), 'email');
    const email = checkEmail(typed);
    if (!email.ok) return show(request, reply, { email: typed, errors: [email.error] }, 422);
    const address = email.value.toLowerCase();
    const key = `reset:${address}`;
    const wait = await requests.retryAfter(key);
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60);
      throw new HttpError(429, message('errors.tooManyRequests'), message('errors.tooManyResets', { address, minutes }), { 'Retry-After': String(wait) });
    }
    await requests.note([key]);
    const { store } = request.server;
    const user = await store.users.byEmail(address);
    if (user && !user.loginDisabled) {
      const since = new Date(Date.now() - WINDOW_MS).toISOString();
      await store.atomically(async () => {
        if (await store.outbox.countTo(user.email!, 'reset', since) >= MAILS_PER_ACCOUNT) return;
        const token = await store.tokens.issue('reset', user.id, user.id, LINK_HOURS);
        // the account's language, else the page's: the person who asked is reading it
        const words = isLanguage(user.language) ? translator(user.language) : messagesFor(request);
        await store.outbox.enqueue(resetPasswordMail(words, user.email!, user.username, siteSettings(request).siteTitle,
          publicUrl(request.server.wamiConfig, `/reset-password/${token}`)!, LINK_HOURS));
      });
    }
    return show(request, reply, { sentTo: address });
  });
};
