// buildApp(deps): one fastify instance with every plugin and route module. main.ts gives it the real
// config and store; tests give it a temp data folder.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { Config } from './config.js';
import type { Store } from './store/index.js';
import { staticDir } from './paths.js';
import { AttachmentFiles } from './files/storage.js';
import { acceptMultipart } from './files/multipart.js';
import { Authenticator } from './web/auth.js';
import { installCommitGate } from './web/commit-gate.js';
import { installCsrf } from './web/csrf.js';
import { installCharsetChoice } from './web/page-charset.js';
import { installLanguageChoice } from './web/language.js';
import { parseUrlEncoded } from './web/url-encoded.js';
import { installErrorPages } from './web/errors.js';
import { acceptJson } from './web/json-body.js';
import { installNoSniff } from './web/nosniff.js';
import { installLive } from './web/live.js';
import { installMetrics } from './web/metrics.js';
import type { ChangeBus } from './live/bus.js';
import { installRequestLog } from './web/request-log.js';
import { installRenderer } from './web/render.js';
import { installSessions } from './web/session.js';
import { apiRoutes } from './api/index.js';
import { accessibilityPages } from './pages/accessibility.js';
import { adminPages } from './pages/admin.js';
import { attachmentPages } from './pages/attachments.js';
import { authPages } from './pages/auth.js';
import { boardListPages } from './pages/boards.js';
import { boardPages } from './pages/board.js';
import { boardSettingsPages } from './pages/board-settings.js';
import { calendarPages } from './pages/calendar.js';
import { findPages } from './pages/find.js';
import { forgotPasswordPages } from './pages/forgot-password.js';
import { enrollPages } from './pages/enroll.js';
import { importPages } from './pages/import.js';
import { integrationPages } from './pages/integrations.js';
import { lanePages } from './pages/lanes.js';
import { memberPages } from './pages/members.js';
import { cardPages } from './pages/card.js';
import { cardTransferPages } from './pages/card-transfer.js';
import { dependencyPages } from './pages/dependencies.js';
import { boardBackgroundPages } from './pages/board-background.js';
import { checklistPages } from './pages/checklists.js';
import { commentPages } from './pages/comments.js';
import { customFieldPages } from './pages/custom-fields.js';
import { profilePages } from './pages/profile.js';
import { wallPages } from './pages/wall.js';
import { watchPages } from './pages/watch.js';
import { WebhookSender } from './webhooks/sender.js';
import { MailSender } from './mail/sender.js';
import { mailNotifier } from './mail/notifier.js';
import { Notifications } from './mail/notifications.js';
import { MailRounds } from './mail/rounds.js';
import { siteDefaults } from './web/site.js';
import { ImportJobs } from './import/jobs.js';

declare module 'fastify' {
  interface FastifyInstance {
    wamiConfig: Config;
    store: Store;
    /** Signs CSRF tokens; kept in the database so tokens survive restarts. */
    secret: string;
    /** Attachment files on disk. */
    files: AttachmentFiles;
    /** The notification rounds (due reminders, held mail); null while email is off. */
    mailRounds: MailRounds | null;
    /** Every route as registered (method and URL pattern): what the fuzz test walks, and the API tables list. */
    routeList: { method: string; url: string }[];
  }
}

export interface AppDeps {
  config: Config;
  store: Store;
  /** The change bus between instances; in-process when not given. */
  bus?: ChangeBus;
  /** Where log lines go when WAMI_LOG is on (tests read them); standard output when not given. */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store } = deps;
  const app = Fastify({
    logger: config.log ? { level: 'info', ...(deps.logStream ? { stream: deps.logStream } : {}) } : false,
    // One line per request instead, written by web/request-log.ts.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    // request.ip, .protocol and .host from X-Forwarded-* only when the peer is a proxy we run (Caddy)
    trustProxy: config.trustProxy,
    // Ids and slugs never need it; old browsers sometimes add a trailing slash. Query strings are read
    // in the charset of the form that sent them, as bodies are (web/url-encoded.ts).
    routerOptions: { ignoreTrailingSlash: true, querystringParser: parseUrlEncoded },
  });
  app.decorate('routeList', []);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) app.routeList.push({ method, url: route.url });
  });
  app.decorate('wamiConfig', config);
  app.decorate('store', store);
  app.decorate('secret', await store.settings.secret());
  await store.settings.load();
  app.decorate('files', new AttachmentFiles(config.dataDir, config.attachmentsDir));
  app.decorate('caches', new Map());
  app.caches.set('board_access', store.boards.accessMemory);
  const webhooks = new WebhookSender(store, {
    baseUrl: config.baseUrl, retryMs: config.webhookRetryMs, allowPrivate: config.webhookPrivate, log: app.log,
  });
  store.onBoardChanged(() => { if (store.integrations.takeQueued()) webhooks.kick(); });
  app.decorate('importJobs', new ImportJobs());
  app.addHook('onClose', async () => app.importJobs.drain());
  app.addHook('onReady', async () => webhooks.start());
  app.addHook('onClose', async () => webhooks.stop());
  app.decorate('mailRounds', null);
  if (config.smtpUrl) {
    // mail queued before a restart goes at start; new mail as soon as its transaction commits
    const mail = new MailSender(store, { smtpUrl: config.smtpUrl, from: config.mailFrom, retryMs: config.mailRetryMs, log: app.log });
    store.outbox.onQueued(() => mail.kick());
    const notifications = new Notifications(store, {
      baseUrl: config.baseUrl, siteTitle: () => store.settings.site(siteDefaults(config)).siteTitle, digestHour: config.mailDigestHour,
    });
    store.activities.onRecord(mailNotifier(store, notifications));
    const rounds = new MailRounds(notifications, config.mailRoundMs, app.log);
    app.mailRounds = rounds;
    app.addHook('onReady', async () => {
      mail.kick();
      rounds.start();
    });
    app.addHook('onClose', async () => {
      await rounds.stop();
      await mail.stop();
    });
  }

  await app.register(formbody, { parser: parseUrlEncoded });
  acceptJson(app);
  installNoSniff(app);
  await app.register(cookie);
  installCharsetChoice(app);
  installLanguageChoice(app);
  // Uploads are read part by part as streams by the upload route itself (files/multipart.ts).
  acceptMultipart(app);
  installRenderer(app);
  installErrorPages(app);
  installCommitGate(app);
  const authenticator = new Authenticator(store);
  installSessions(app, authenticator);
  installCsrf(app);
  installLive(app, deps.bus);
  installMetrics(app);
  installRequestLog(app);

  await app.register(fastifyStatic, { root: staticDir, prefix: '/static/', cacheControl: true, maxAge: '1d' });
  app.get('/favicon.ico', (_request, reply) => reply.sendFile('favicon.ico', { maxAge: '7d' }));

  await app.register(authPages, { authenticator });
  await app.register(accessibilityPages);
  await app.register(adminPages);
  await app.register(boardListPages);
  await app.register(boardPages);
  await app.register(boardSettingsPages);
  await app.register(calendarPages);
  await app.register(findPages);
  await app.register(forgotPasswordPages);
  await app.register(enrollPages);
  await app.register(importPages);
  await app.register(integrationPages);
  await app.register(lanePages);
  await app.register(memberPages);
  await app.register(cardPages);
  await app.register(attachmentPages);
  await app.register(cardTransferPages);
  await app.register(dependencyPages);
  await app.register(boardBackgroundPages);
  await app.register(checklistPages);
  await app.register(commentPages);
  await app.register(customFieldPages);
  await app.register(profilePages, { authenticator });
  await app.register(wallPages);
  await app.register(watchPages);
  await app.register(apiRoutes, { authenticator });
  return app;
}
