// Importing a board in the browser: /import (or WeKan's /import/wekan, /import/trello, /import/csv)
// takes the file, a preview shows what will be made and who is who (people matched by username,
// changeable) and lets the title be changed, then one transaction makes it; a big file's progress
// shows on a status page (import/jobs.ts).
// Between the two steps the file waits in wekandata/tmp/ under a random name that includes the
// uploader's id, so nobody else can import it; it is removed after the import (and at restart).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { receivedName } from '../files/names.js';
import { isMultipart } from '../files/multipart.js';
import { runImport, sameUsernames } from '../import/run.js';
import { isImportSource, readImportFile, type ImportSource } from '../import/sources.js';
import type { FileBodies } from '../import/wekan-file.js';
import { TooLargeError } from '../files/storage.js';
import type { ImportPlan } from '../import/plan.js';
import { checkTitle } from '../validation.js';
import { requireUser } from '../web/access.js';
import { HttpError } from '../web/errors.js';
import { sizeText } from '../web/file-display.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { readSignedUpload } from '../web/uploads.js';
import { urls } from '../web/urls.js';
import { inWords, type Localized, message } from '../i18n/messages.js';
import { messagesFor } from '../web/language.js';

const SOURCES: { value: ImportSource | ''; label: string }[] = [
  { value: '', label: 'import.sourceAuto' },
  { value: 'wekan', label: 'import.sourceWekan' },
  { value: 'trello', label: 'import.sourceTrello' },
  { value: 'csv', label: 'import.sourceCsv' },
];

function chosenSource(value: string): ImportSource | undefined {
  return isImportSource(value) ? value : undefined;
}

function pendingPath(request: FastifyRequest, key: string, userId: string): string {
  if (!/^[0-9a-f]{24}$/.test(key)) throw new HttpError(404, message('errors.importNotFound'), message('errors.importExpired'));
  return path.join(request.server.files.tempDir, `import-${key}-${userId}`);
}

function showImport(request: FastifyRequest, reply: FastifyReply, source: string, errors: Localized[] = [], status = 200) {
  return reply.page('import', {
    title: messagesFor(request).t('boards.import'), errors, source, sources: SOURCES, maxText: sizeText(request.server.wamiConfig.maxImportBytes),
  }, status);
}

/** The file's name without its extension: the title of a board made from a CSV. */
function titleFromName(rawName: string): string {
  return receivedName(rawName).replace(/\.[^.]*$/, '').replace(/[_-]+/g, ' ').trim();
}

function readPending(request: FastifyRequest, file: string, source: ImportSource | undefined, title: string, bodies: FileBodies, fileName?: string) {
  const user = requireUser(request);
  return readImportFile(file, source, { title, timeZone: user.timeZone, fileName }, bodies);
}

/** What was wrong with a file found only when it was read again for the import (it changed on disk?). */
class ImportProblems extends Error {
  override name = 'ImportProblems';
}

async function showPreview(request: FastifyRequest, reply: FastifyReply, key: string, source: ImportSource, plan: ImportPlan, titleError?: Localized) {
  const proposed = await sameUsernames(request.server, plan);
  const { users } = request.server.store;
  return reply.page('import-preview', {
    title: messagesFor(request).t('import.pageTitle', { board: plan.board.title }),
    key, source, plan, error: titleError,
    sourceName: messagesFor(request).t(SOURCES.find((s) => s.value === source)!.label),
    counts: {
      lists: plan.lists.length, swimlanes: plan.swimlanes.length, cards: plan.cards.length, labels: plan.labels.length,
      checklists: plan.checklists.length, comments: plan.comments.length,
      attachments: plan.attachments.filter((a) => a.file !== null).length,
    },
    people: [...plan.users].map(([exportId, username]) => ({ exportId, username, match: proposed[exportId] ?? '' })),
    localUsers: (await users.all()).filter((u) => !u.loginDisabled).map((u) => ({ id: u.id, username: u.username })),
  }, titleError ? 422 : 200);
}

/** What a person reads when an import job fails; server faults are logged as well. */
function importFailure(request: FastifyRequest, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'The server\'s disk is full. Nothing was made; tell the administrator.';
  if (error instanceof TooLargeError) return `An attached file is larger than this server accepts (${sizeText(error.limit)}). Nothing was made.`;
  if (error instanceof ImportProblems) return `The file cannot be imported: ${error.message} Nothing was made.`;
  request.log.error({ err: error }, 'import failed');
  return 'The import failed because of a fault on the server. Nothing was made; the administrator can find the cause in the log.';
}

export const importPages: FastifyPluginAsync = async (app) => {
  const jobs = app.importJobs;
  app.get<{ Querystring: { source?: string } }>('/import', (request, reply) => {
    requireUser(request);
    return showImport(request, reply, chosenSource(request.query.source ?? '') ?? '');
  });
  // WeKan's URLs for the same page, the format chosen
  app.get<{ Params: { source: string } }>('/import/:source', (request, reply) => {
    requireUser(request);
    if (!isImportSource(request.params.source)) throw new HttpError(404, message('errors.noSuchImport'), message('errors.noSuchImportDetail'));
    return showImport(request, reply, request.params.source);
  });

  app.post('/import', { config: { csrf: 'own' } }, async (request, reply) => {
    const user = requireUser(request);
    if (!isMultipart(request)) throw new HttpError(415, message('errors.notUpload'), message('errors.notUploadImport'));
    const { maxImportBytes } = request.server.wamiConfig;
    let upload;
    try {
      upload = await readSignedUpload(request, {
        maxFiles: 1, maxBytes: maxImportBytes + 64 * 1024, limitFor: () => maxImportBytes,
        tooLarge: () => message('errors.importAtMost', { size: sizeText(maxImportBytes) }),
      });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status === 403) throw error; // a stale form has its own page
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return showImport(request, reply, '', [inWords(error.detail, messagesFor(request))], error.status);
    }
    const source = chosenSource(upload.fields.get('source') ?? '');
    const [file] = upload.files;
    if (!file) return showImport(request, reply, source ?? '', [message('pageErrors.chooseExportFile')], 422);
    const key = randomBytes(12).toString('hex');
    const target = pendingPath(request, key, user.id);
    await fs.promises.rename(file.received.tempPath, target);
    let read;
    try {
      read = await readPending(request, target, source, titleFromName(file.rawName), { keep: false }, receivedName(file.rawName));
    } catch (error) {
      await fs.promises.rm(target, { force: true });
      throw error;
    }
    if (!read.plan) {
      await fs.promises.rm(target, { force: true });
      return showImport(request, reply, source ?? '', read.problems.slice(0, 30), 422);
    }
    return showPreview(request, reply, key, read.source, read.plan);
  });

  app.post('/import/confirm', async (request, reply) => {
    const user = requireUser(request);
    const body = formBody(request);
    const key = text(body, 'key');
    const file = pendingPath(request, key, user.id);
    // a second click on the button joins the import under way (or done)
    if (jobs.progress(key, user.id)) return seeOther(request, reply, `/import/jobs/${key}`);
    if (!fs.existsSync(file)) throw new HttpError(404, message('errors.importNotFound'), message('errors.importExpired'));
    const source = chosenSource(text(body, 'source'));
    const title = checkTitle(text(body, 'title'));
    if (!title.ok) {
      const read = await readPending(request, file, source, text(body, 'title'), { keep: false });
      if (!read.plan) return showImport(request, reply, source ?? '', read.problems.slice(0, 30), 422);
      return showPreview(request, reply, key, read.source, read.plan, title.error);
    }
    // export user id -> the local account chosen on the preview
    const mapping = Object.fromEntries(Object.keys(body).filter((name) => name.startsWith('person-')).map((name) => [name.slice(7), text(body, name)]));
    const { files, wamiConfig } = request.server;
    const words = messagesFor(request); // the job outlives the request: its words are taken now
    jobs.start(key, user.id, async (report) => {
      try {
        const read = await readPending(request, file, source, title.value,
          { keep: true, files, limit: wamiConfig.maxFileBytes, written: (count) => report.files(count, 0) });
        if (!read.plan) throw new ImportProblems(read.problems.slice(0, 10).map((problem) => inWords(problem, words)).join(' '));
        read.plan.board.title = title.value;
        return (await runImport(request.server, user.id, read.plan, mapping, report)).boardId;
      } finally {
        await fs.promises.rm(file, { force: true });
      }
    }, (error) => importFailure(request, error));
    await jobs.settle(key, 1000);
    const progress = jobs.progress(key, user.id);
    if (progress?.phase === 'done') return seeOther(request, reply, urls.board((await request.server.store.boards.byId(progress.boardId!))!));
    return seeOther(request, reply, `/import/jobs/${key}`);
  });

  // A big import's progress: this page reloads itself until the board is made, then leads to it.
  app.get<{ Params: { key: string } }>('/import/jobs/:key', async (request, reply) => {
    const user = requireUser(request);
    const progress = jobs.progress(request.params.key, user.id);
    if (!progress) {
      throw new HttpError(404, message('errors.importNotFound'), message('errors.importNotRunning'));
    }
    if (progress.phase === 'done') return seeOther(request, reply, urls.board((await request.server.store.boards.byId(progress.boardId!))!));
    return reply.page('import-status', { title: messagesFor(request).t('import.importing'), progress, here: `/import/jobs/${request.params.key}`, refresh: progress.phase === 'failed' ? null : '1' },
      progress.phase === 'failed' ? 500 : 200);
  });
};
