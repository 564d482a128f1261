// POST /api/boards/import {board, membersMapping?}: a WeKan export becomes a new board, all or nothing.
// Every reference is checked before anything is written (422 lists the dangling ids); attachment files
// carried as base64 are written and placed first, the rows committed last, and on any failure the
// placed files go again. People: membersMapping (export user id -> local user id) first, else the same
// username here; whoever is not found is reported and their cards fall to the importer.
import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ImportedFile } from '../store/board-import.js';
import { newId } from '../ids.js';
import { pixelSize } from '../files/images.js';
import { typeOf } from '../files/names.js';
import { readWekanExport, type ImportPlan } from '../import/wekan.js';
import { requireUser } from '../web/access.js';
import { ApiError } from './scope.js';

/** The largest import body the API reads into memory (a streaming import is for later). */
const IMPORT_BODY_LIMIT = 100 * 1024 * 1024;

/** Base64 decoded in slices (a multiple of 4 characters each), as a stream for the file store. */
function base64Stream(text: string): Readable {
  const SLICE = 4 * 64 * 1024;
  return Readable.from((function* slices() {
    for (let at = 0; at < text.length; at += SLICE) yield Buffer.from(text.slice(at, at + SLICE), 'base64');
  })(), { objectMode: false });
}

function peopleFor(request: FastifyRequest, plan: ImportPlan, mapping: Record<string, unknown>) {
  const { users } = request.server.store;
  const people = new Map<string, string>();
  const unmatched: string[] = [];
  for (const [exportId, username] of plan.users) {
    const mapped = mapping[exportId];
    const local = (typeof mapped === 'string' ? users.byId(mapped) : undefined) ?? (username ? users.byUsername(username) : undefined);
    if (local) people.set(exportId, local.id);
    else unmatched.push(username || exportId);
  }
  return { people, unmatched };
}

async function placeFiles(request: FastifyRequest, plan: ImportPlan): Promise<Map<string, ImportedFile>> {
  const { files, wamiConfig } = request.server;
  const placed = new Map<string, ImportedFile>();
  try {
    for (const attachment of plan.attachments) {
      if (attachment.file === null) continue;
      const received = await files.receive(base64Stream(attachment.file), wamiConfig.maxFileBytes);
      const id = newId();
      const pixels = await pixelSize(received.tempPath, typeOf(attachment.name, attachment.type));
      await files.place(received, id);
      placed.set(attachment.id, { id, size: received.size, sha256: received.sha256, ...pixels });
    }
    return placed;
  } catch (error) {
    await files.remove([...placed.values()].map((f) => f.id));
    throw error;
  }
}

export const importRoutes: FastifyPluginAsync = async (app) => {
  app.post('/api/boards/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (request) => {
    const user = requireUser(request);
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    let exported = body.board;
    if (typeof exported === 'string') {
      try {
        exported = JSON.parse(exported) as unknown;
      } catch {
        throw new ApiError(400, 'bad-request', 'board is not valid JSON.');
      }
    }
    const read = readWekanExport(exported);
    if (!read.plan) throw new ApiError(422, 'invalid-export', `The export cannot be imported: ${read.problems.slice(0, 20).join(' ')}${read.problems.length > 20 ? ` (and ${read.problems.length - 20} more)` : ''}`);
    const mapping = body.membersMapping && typeof body.membersMapping === 'object' ? body.membersMapping as Record<string, unknown> : {};
    const { people, unmatched } = peopleFor(request, read.plan, mapping);
    const files = await placeFiles(request, read.plan);
    try {
      const boardId = request.server.store.boardImport.create(user.id, read.plan, people, files);
      return { _id: boardId, unmatchedUsers: unmatched };
    } catch (error) {
      await request.server.files.remove([...files.values()].map((f) => f.id));
      throw error;
    }
  });
};
