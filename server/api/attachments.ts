// WeKan 11's attachment API (server/routes/attachmentApi.js): upload to a card (WeKan's JSON with the
// file in base64, or multipart), download, information, lists by board, swimlane, list or card, copy or
// move to another card, delete. Uploads keep the pages' limits and quota and stream to disk either way;
// a download is WeKan's JSON (the file in base64, streamed) or, asked for raw bytes (an Accept without
// JSON, or a Range), the file itself with byte ranges as the card page serves it.
import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { message } from '../i18n/messages.js';
import type { Attachment } from '../store/attachments.js';
import type { Card } from '../store/cards.js';
import type { BoardAccess } from '../store/boards.js';
import { looksLikeId, newId } from '../ids.js';
import { readBase64Upload } from '../files/base64-upload.js';
import { fileAsBase64 } from '../files/base64.js';
import { isMultipart, readParts } from '../files/multipart.js';
import { receivedName, typeOf } from '../files/names.js';
import { TooLargeError, type Received } from '../files/storage.js';
import { cardScope, loadBoard, loadCard, need, requireUser } from '../web/access.js';
import { attachmentRules, keep } from '../web/attachment-uploads.js';
import { sendAttachment, storedFile } from '../web/attachment-file.js';
import { uploadFailure } from '../web/uploads.js';
import { keepBackground, sendBackground } from '../web/board-background.js';
import { urls } from '../web/urls.js';
import { field } from './fields.js';
import { ApiError } from './scope.js';

type IdParams = { Params: { attachmentId: string } };
type ListParams = { Params: { boardId: string; swimlaneId?: string; listId?: string; cardId?: string } };

/** The attachment with its card and the caller's access to its board: 404 when unknown or not visible. */
async function locate(request: FastifyRequest, attachmentId: string) {
  const attachment = looksLikeId(attachmentId) ? await request.server.store.attachments.anywhere(attachmentId) : undefined;
  if (!attachment) throw new ApiError(404, 'not-found', message('api.noAttachment', { id: attachmentId }));
  const access = await loadBoard(request, attachment.boardId);
  const card = await loadCard(request, access, attachment.cardId).catch(() => {
    throw new ApiError(404, 'not-found', message('api.noAttachment', { id: attachmentId }));
  });
  return { attachment, access, card };
}

/** The card the ids name together (board, swimlane, list, card), as the caller may see it: 404 when they disagree. */
async function cardAt(request: FastifyRequest, ids: { boardId: string; swimlaneId: string; listId: string; cardId: string }) {
  const access = await loadBoard(request, ids.boardId);
  const card = await loadCard(request, access, ids.cardId).catch(() => undefined);
  if (!card || card.swimlaneId !== ids.swimlaneId || card.listId !== ids.listId) {
    throw new ApiError(404, 'not-found', message('api.cardElsewhere'));
  }
  return { access, card };
}

function describe(attachment: Attachment, card: Card) {
  return {
    attachmentId: attachment.id, fileName: attachment.name, fileSize: attachment.size, fileType: attachment.type,
    storageBackend: 'fs', boardId: attachment.boardId, swimlaneId: card.swimlaneId, listId: card.listId, cardId: card.id,
    createdAt: attachment.createdAt, isImage: attachment.width !== null,
  };
}

/** The upload's fields and its one file, in the temp folder within the caller's limit. */
async function receiveUpload(request: FastifyRequest, userId: string): Promise<{ fields: Map<string, string>; file: Received | null; sentType: string }> {
  const { files } = request.server;
  const limit = await attachmentRules(request, userId).limitFor([]);
  const receive = async (bytes: Readable) => {
    if (limit <= 0) throw new TooLargeError(0);
    return files.receive(bytes, limit);
  };
  if (isMultipart(request)) {
    const fields = new Map<string, string>();
    let file: Received | null = null;
    let sentType = '';
    try {
      await readParts(request, { files: 1, fields: 10, fieldSize: 4096 }, {
        field: (name, value) => void fields.set(name, value),
        async file(part) {
          if (!fields.has('fileName') && part.rawName) fields.set('fileName', receivedName(part.rawName));
          sentType = part.sentType;
          file = await receive(part.stream);
        },
      });
    } catch (error) {
      if (file) await files.discard(file);
      throw error;
    }
    return { fields, file, sentType };
  }
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) throw new ApiError(415, 'bad-request', message('api.uploadKind'));
  const { fields, received } = await readBase64Upload(request.raw, receive, (arrived) => files.discard(arrived));
  return { fields, file: received, sentType: '' };
}

/** `head` as JSON with the file as base64 in its last field `key`, written as it is read. */
async function* base64Json(path: string, head: Record<string, unknown>, key: string): AsyncGenerator<string> {
  const opening = JSON.stringify({ ...head, [key]: '' });
  yield opening.slice(0, -2); // up to the opening quote of the file's field
  yield* fileAsBase64(path);
  yield '"}';
}

/** Raw bytes when the caller does not ask for JSON but for the file (or a range of it). */
function wantsFile(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return !!request.headers.range || (!/json/i.test(accept) && /application\/octet-stream/i.test(accept));
}

async function copyOrMove(request: FastifyRequest, operation: 'copy' | 'move') {
  const user = requireUser(request);
  const names = ['attachmentId', 'targetBoardId', 'targetSwimlaneId', 'targetListId', 'targetCardId'] as const;
  if (names.some((name) => !field(request, name))) throw new ApiError(400, 'bad-request', message('api.attachmentTarget'));
  const { attachment, access, card: from } = await locate(request, field(request, 'attachmentId'));
  need(access, operation === 'move' ? 'edit' : 'view', request);
  const { access: to, card } = await cardAt(request, {
    boardId: field(request, 'targetBoardId'), swimlaneId: field(request, 'targetSwimlaneId'),
    listId: field(request, 'targetListId'), cardId: field(request, 'targetCardId'),
  });
  need(to, 'edit', request);
  return { user, attachment, access, from, to, card };
}

export const attachmentApiRoutes: FastifyPluginAsync = async (app) => {
  // the upload's body is read by the route, after the caller is known: a stranger's upload writes nothing
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', (_request, _payload, done) => done(null));
    scope.post('/api/attachment/upload', async (request) => {
      const user = requireUser(request);
      const { files } = request.server;
      let upload: Awaited<ReturnType<typeof receiveUpload>> | null = null;
      let located: { access: BoardAccess; card: Card };
      try {
        upload = await receiveUpload(request, user.id);
        const get = (name: string) => upload!.fields.get(name) ?? '';
        if (!upload.file || !get('fileName') || !get('boardId') || !get('swimlaneId') || !get('listId') || !get('cardId')) {
          throw new ApiError(400, 'bad-request', message('api.uploadFields'));
        }
        located = await cardAt(request, { boardId: get('boardId'), swimlaneId: get('swimlaneId'), listId: get('listId'), cardId: get('cardId') });
        need(located.access, 'edit', request);
      } catch (error) {
        if (upload?.file) await files.discard(upload.file);
        throw uploadFailure(request, error, attachmentRules(request, user.id));
      }
      const name = receivedName(upload.fields.get('fileName')!);
      const type = typeOf(name, upload.fields.get('fileType') || upload.sentType);
      const [attachmentId] = await keep(request, user.id, located.card, [{ received: upload.file, name, type }]);
      return { success: true, attachmentId, fileName: name, fileSize: upload.file.size, storageBackend: 'fs', message: 'Attachment uploaded successfully' };
    });

    // the board's background picture (board admins), in the same two forms as an attachment
    scope.post('/api/attachment/upload-background', async (request) => {
      const user = requireUser(request);
      let upload: Awaited<ReturnType<typeof receiveUpload>> | null = null;
      let access: BoardAccess;
      try {
        upload = await receiveUpload(request, user.id);
        const get = (name: string) => upload!.fields.get(name) ?? '';
        if (!upload.file || !get('fileName') || !get('boardId')) throw new ApiError(400, 'bad-request', message('api.backgroundFields'));
        access = await loadBoard(request, get('boardId'));
        need(access, 'admin', request);
      } catch (error) {
        if (upload?.file) await request.server.files.discard(upload.file);
        throw uploadFailure(request, error, attachmentRules(request, user.id));
      }
      const name = receivedName(upload.fields.get('fileName')!);
      const id = await keepBackground(request, user.id, access.board.id,
        { received: upload.file, name, sentType: upload.fields.get('fileType') || upload.sentType });
      return { success: true, attachmentId: id, fileName: name, fileSize: upload.file.size, storageBackend: 'fs',
        backgroundImageURL: urls.background(access.board, id, name), message: 'Board background uploaded successfully' };
    });
  });

  app.get<IdParams>('/api/attachment/download/:attachmentId', async (request, reply: FastifyReply) => {
    requireUser(request);
    const { attachment, card } = await locate(request, request.params.attachmentId);
    if (wantsFile(request)) return sendAttachment(request, reply, attachment);
    const { path } = await storedFile(request, attachment);
    const head = { success: true, attachmentId: attachment.id, fileName: attachment.name, fileSize: attachment.size,
      fileType: attachment.type, storageBackend: 'fs', boardId: attachment.boardId, cardId: card.id };
    return reply.type('application/json; charset=utf-8').send(Readable.from(base64Json(path, head, 'base64Data')));
  });

  // WeKan's export of one attachment: its entry of a board export, with the file (a public board's without signing in)
  app.get<IdParams & { Params: { boardId: string } }>('/api/boards/:boardId/attachments/:attachmentId/export', async (request, reply: FastifyReply) => {
    const access = await loadBoard(request, request.params.boardId);
    const { attachment } = await locate(request, request.params.attachmentId);
    if (attachment.boardId !== access.board.id) throw new ApiError(404, 'not-found', message('api.noAttachment', { id: attachment.id }));
    const { path } = await storedFile(request, attachment);
    const head = { _id: attachment.id, cardId: attachment.cardId, name: attachment.name, type: attachment.type };
    return reply.type('application/json; charset=utf-8').send(Readable.from(base64Json(path, head, 'file')));
  });

  app.get<{ Params: { boardId: string } }>('/api/attachment/download-background/:boardId', async (request, reply: FastifyReply) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    const background = await request.server.store.boardBackgrounds.of(access.board.id);
    if (!background) throw new ApiError(404, 'not-found', message('api.noBackground'));
    if (wantsFile(request)) return sendBackground(request, reply, background);
    const { path } = await storedFile(request, background);
    const head = { success: true, attachmentId: background.id, fileName: background.name, fileSize: background.size,
      fileType: background.type, storageBackend: 'fs', boardId: access.board.id };
    return reply.type('application/json; charset=utf-8').send(Readable.from(base64Json(path, head, 'base64Data')));
  });

  app.get<IdParams>('/api/attachment/info/:attachmentId', async (request) => {
    requireUser(request);
    const { attachment, card } = await locate(request, request.params.attachmentId);
    return { success: true, ...describe(attachment, card), versions: [] };
  });

  const list = async (request: FastifyRequest<ListParams>) => {
    requireUser(request);
    const access = await loadBoard(request, request.params.boardId);
    const { swimlaneId, listId, cardId } = request.params;
    const any = (value: string | undefined) => !value || value === 'null'; // WeKan's client writes "null" for "any"
    const scope = await cardScope(request, access);
    if (!any(cardId) && (!(await request.server.store.cards.byId(access.board.id, cardId!)) || (scope && !scope.has(cardId!)))) {
      throw new ApiError(404, 'not-found', message('api.cardElsewhere'));
    }
    const attachments = (await request.server.store.attachments.forBoard(access.board.id)).filter((a) => (!scope || scope.has(a.cardId)) &&
      (any(swimlaneId) || a.swimlaneId === swimlaneId) && (any(listId) || a.listId === listId) && (any(cardId) || a.cardId === cardId))
      .map((a) => describe(a, { id: a.cardId, swimlaneId: a.swimlaneId, listId: a.listId } as Card));
    return { success: true, attachments, count: attachments.length };
  };
  for (const path of ['', '/:swimlaneId', '/:swimlaneId/:listId', '/:swimlaneId/:listId/:cardId']) {
    app.get<ListParams>(`/api/attachment/list/:boardId${path}`, list);
  }

  app.post('/api/attachment/copy', async (request) => {
    const { user, attachment, card } = await copyOrMove(request, 'copy');
    const { store, files } = request.server;
    const copyId = newId();
    await files.duplicate(attachment.id, copyId);
    try {
      await store.attachments.copyTo(user.id, attachment, card, copyId);
    } catch (error) {
      await files.remove([copyId]);
      throw error;
    }
    return { success: true, sourceAttachmentId: attachment.id, newAttachmentId: copyId, fileName: attachment.name,
      fileSize: attachment.size, message: 'Attachment copied successfully' };
  });

  app.post('/api/attachment/move', async (request) => {
    const { user, attachment, card } = await copyOrMove(request, 'move');
    await request.server.store.attachments.moveTo(user.id, attachment, card);
    return { success: true, attachmentId: attachment.id, fileName: attachment.name, fileSize: attachment.size,
      sourceBoardId: attachment.boardId, targetBoardId: card.boardId, message: 'Attachment moved successfully' };
  });

  app.route<IdParams>({
    method: ['DELETE', 'POST'], url: '/api/attachment/delete/:attachmentId', handler: async (request) => {
      const user = requireUser(request);
      const { attachment, access } = await locate(request, request.params.attachmentId);
      need(access, 'edit', request);
      await request.server.store.attachments.remove(user.id, attachment);
      await request.server.files.remove([attachment.id]); // after the commit: a row never names a missing file
      return { success: true, attachmentId: attachment.id, fileName: attachment.name, message: 'Attachment deleted successfully' };
    },
  });
};
