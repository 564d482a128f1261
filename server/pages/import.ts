// Importing a board from a WeKan export file, in the browser: /import (upload the file), a preview of
// what will be made and who is who (people matched by username, changeable), then one transaction.
// Between the two steps the file waits in wekandata/tmp/ under a random name that includes the
// uploader's id, so nobody else can import it; it is removed after the import (and at restart).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { readWekanExport, type ImportPlan } from '../import/wekan.js';
import { peopleFor, runImport } from '../import/run.js';
import { isMultipart, readParts } from '../files/multipart.js';
import { TooLargeError } from '../files/storage.js';
import { requireUser } from '../web/access.js';
import { CSRF_FIELD, csrfTokenFor, staleFormError, tokensMatch } from '../web/csrf.js';
import { HttpError } from '../web/errors.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { urls } from '../web/urls.js';

/** The largest export file the page takes (it is read into memory to check it; streaming comes later). */
const IMPORT_FILE_LIMIT = 100 * 1024 * 1024;

function pendingPath(request: FastifyRequest, key: string, userId: string): string {
  if (!/^[0-9a-f]{24}$/.test(key)) throw new HttpError(404, 'Import not found', 'This import has expired or is not yours: upload the file again.');
  return path.join(request.server.files.tempDir, `import-${key}-${userId}.json`);
}

function showImport(reply: FastifyReply, errors: string[] = [], status = 200) {
  return reply.page('import', { title: 'Import a board', errors, maxText: '100 MB' }, status);
}

function readPlan(file: string): { plan: ImportPlan | null; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return { plan: null, problems: ['This file is not JSON. Export the board from WeKan (board menu, Export board) and upload that file.'] };
  }
  return readWekanExport(parsed);
}

export const importPages: FastifyPluginAsync = async (app) => {
  app.get('/import', (request, reply) => {
    requireUser(request);
    return showImport(reply);
  });
  // WeKan's URL for the same page
  app.get('/import/wekan', (request, reply) => seeOther(request, reply, '/import'));

  app.post('/import', { config: { csrf: 'own' } }, async (request, reply) => {
    const user = requireUser(request);
    if (!isMultipart(request)) throw new HttpError(415, 'Not a file upload', 'Choose the export file with the form on the import page.');
    const { files } = request.server;
    const key = randomBytes(12).toString('hex');
    const target = pendingPath(request, key, user.id);
    let signed = false;
    let stored = false;
    try {
      await readParts(request, { files: 1, fields: 5, fieldSize: 4096 }, {
        field(name, value) {
          if (name === CSRF_FIELD) signed = tokensMatch(value, csrfTokenFor(request) ?? '');
        },
        async file(part) {
          if (!signed) throw staleFormError();
          if (!part.rawName) return void part.stream.resume();
          const received = await files.receive(part.stream, IMPORT_FILE_LIMIT);
          await fs.promises.rename(received.tempPath, target);
          stored = true;
        },
      });
    } catch (error) {
      await fs.promises.rm(target, { force: true });
      if (error instanceof HttpError) throw error;
      if (error instanceof TooLargeError) return showImport(reply, ['The file is larger than 100 MB.'], 413);
      return showImport(reply, ['The upload did not arrive whole; please try again.'], 400);
    }
    if (!signed) throw staleFormError();
    if (!stored) return showImport(reply, ['Choose the export file to import.'], 422);
    const { plan, problems } = readPlan(target);
    if (!plan) {
      await fs.promises.rm(target, { force: true });
      return showImport(reply, problems.slice(0, 30), 422);
    }
    const { people, unmatched } = peopleFor(request, plan, {});
    const { users } = request.server.store;
    return reply.page('import-preview', {
      title: `Import ${plan.board.title}`,
      key,
      plan,
      counts: {
        lists: plan.lists.length, swimlanes: plan.swimlanes.length, cards: plan.cards.length, labels: plan.labels.length,
        checklists: plan.checklists.length, comments: plan.comments.length,
        attachments: plan.attachments.filter((a) => a.file !== null).length,
      },
      people: [...plan.users].map(([exportId, username]) => ({ exportId, username, match: people.get(exportId) ?? '' })),
      unmatched,
      localUsers: users.all().filter((u) => !u.loginDisabled).map((u) => ({ id: u.id, username: u.username })),
    });
  });

  app.post('/import/confirm', async (request, reply) => {
    const user = requireUser(request);
    const body = formBody(request);
    const file = pendingPath(request, text(body, 'key'), user.id);
    if (!fs.existsSync(file)) throw new HttpError(404, 'Import not found', 'This import has expired or is not yours: upload the file again.');
    const { plan, problems } = readPlan(file);
    if (!plan) return showImport(reply, problems.slice(0, 30), 422);
    const mapping = Object.fromEntries([...plan.users.keys()].map((exportId) => [exportId, text(body, `person-${exportId}`)]));
    const { boardId } = await runImport(request, user.id, plan, mapping);
    await fs.promises.rm(file, { force: true });
    const board = request.server.store.boards.byId(boardId)!;
    return seeOther(request, reply, urls.board(board));
  });
};
