// A board in WeKan's export format, streamed: GET /api/boards/:b/export and the board settings page's
// "Export". The rows come from a snapshot in pages (store/board-export.ts); attachment files are
// read in chunks and written as base64 (unless ?attachments=false), so memory stays flat.
import { message } from '../i18n/messages.js';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import { may } from '../permissions.js';
import { readCardSettings } from '../card-settings.js';
import { EXPORT_SECTIONS, type BoardSnapshot } from '../store/board-export.js';
import type { AttachmentFiles } from '../files/storage.js';
import { fileAsBase64 } from '../files/base64.js';
import { loadBoard, requireUser } from './access.js';
import { forbidden } from './errors.js';

/** WeKan's arrays Wami has nothing for (yet): present and empty, as importers expect every key. */
const EMPTY_SECTIONS = ['rules', 'triggers', 'actions', 'subtaskItems'];

/** One attachment's JSON with its file as base64 in front: `{"file":"…",` + the rest of its fields. */
async function* attachmentWithFile(doc: string, files: AttachmentFiles): AsyncGenerator<string> {
  const { _id: id } = JSON.parse(doc) as { _id: string };
  const path = files.pathOf(id);
  if (!fs.existsSync(path)) {
    yield `{"file":null,${doc.slice(1)}`;
    return;
  }
  yield '{"file":"';
  yield* fileAsBase64(path);
  yield `",${doc.slice(1)}`;
}

/** What an export holds besides the board: the files' bytes, and the comments (not for a no-comments member). */
export interface ExportScope {
  withFiles: boolean;
  withComments: boolean;
}

export async function* exportJson(snapshot: BoardSnapshot, files: AttachmentFiles, scope: ExportScope): AsyncGenerator<string> {
  try {
    const head = await snapshot.head();
    if (!head) return;
    // the card settings as WeKan's board fields, each of them (allowsLabels, cardAging, …)
    const { cardSettings, ...board } = head;
    yield JSON.stringify({ _format: 'wekan-board-1.0.0', ...board, ...readCardSettings(String(cardSettings ?? '{}')) }).slice(0, -1);
    for (const section of EXPORT_SECTIONS) {
      yield `,"${section}":[`;
      let first = true;
      if (section === 'comments' && !scope.withComments) {
        yield ']';
        continue;
      }
      for await (const page of snapshot.pages(section)) {
        if (section === 'attachments') {
          for (const doc of page) {
            if (!first) yield ',';
            first = false;
            if (scope.withFiles) yield* attachmentWithFile(doc, files);
            else yield `{"file":null,${doc.slice(1)}`;
          }
        } else {
          yield `${first ? '' : ','}${page.join(',')}`;
          first = false;
        }
      }
      yield ']';
    }
    yield `${EMPTY_SECTIONS.map((name) => `,"${name}":[]`).join('')}}`;
  } finally {
    snapshot.close(); // also when the client goes away mid-way: the stream ends the generator
  }
}

/**
 * Members may export (not visitors of a public board): the export names everyone and carries the files.
 * It holds what its reader may see: a no-comments member's export has no comments.
 */
export function sendBoardExport(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, withFiles: boolean): FastifyReply {
  const { board } = access;
  const snapshot = request.server.store.boardSnapshot(board.id);
  const scope = { withFiles, withComments: may(access.role, 'see-comments') };
  return reply
    .type('application/json; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="wekan-export-${board.slug}.json"`)
    .header('Cache-Control', 'private, no-store')
    .send(Readable.from(exportJson(snapshot, request.server.files, scope), { objectMode: false }));
}

export async function loadForExport(request: FastifyRequest, boardId: string): Promise<BoardAccess> {
  requireUser(request);
  const access = await loadBoard(request, boardId);
  if (access.role === 'visitor') throw forbidden(message('errors.membersExport'));
  // an assigned-only member sees some cards: an export would hand on the others
  if (!may(access.role, 'see-all-cards')) throw forbidden(message(`errors.roleAllows.${access.role}`));
  return access;
}

