// Attachments on the card page: upload (multipart, streamed to disk), download (ranges, see
// files/download.ts), and a page per attachment to rename it, make it the card's cover, or delete it.
import fs from 'node:fs';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import type { Attachment, NewAttachment } from '../store/attachments.js';
import { newId, looksLikeId } from '../ids.js';
import { checkTitle } from '../validation.js';
import { sendFile } from '../files/download.js';
import { cleanName, dispositionOf, receivedName, typeOf } from '../files/names.js';
import { pixelSize } from '../files/images.js';
import { IncompleteUploadError, isMultipart, PartLimitError, readParts } from '../files/multipart.js';
import { TooLargeError, type Received } from '../files/storage.js';
import { loadBoard, loadCard, need } from '../web/access.js';
import { CSRF_FIELD, csrfTokenFor, staleFormError, tokensMatch } from '../web/csrf.js';
import { HttpError, notFound } from '../web/errors.js';
import { attachmentList, sizeText } from '../web/file-display.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { urls } from '../web/urls.js';
import { showCard } from './card.js';

type CardParams = { boardId: string; slug: string; cardId: string };
type AttachmentParams = { Params: CardParams & { attachmentId: string } };

/** A file taken from the upload, in the temp folder until the whole upload has arrived. */
interface Arrived {
  received: Received;
  name: string;
  type: string;
}

function loadAttachment(request: FastifyRequest<AttachmentParams>, action: 'view' | 'edit') {
  const access = loadBoard(request, request.params.boardId);
  if (action === 'edit') need(access, 'edit', request);
  const card = loadCard(request, access, request.params.cardId);
  const attachment = looksLikeId(request.params.attachmentId)
    ? request.server.store.attachments.byId(card.id, request.params.attachmentId) : undefined;
  if (!attachment) throw notFound();
  return { access, card, attachment };
}

/** Upload failures as pages. The connection is closed after them: the rest of a big body is not read. */
function uploadError(request: FastifyRequest, error: unknown): unknown {
  const close = { Connection: 'close' };
  const config = request.server.wamiConfig;
  if (error instanceof HttpError) return new HttpError(error.status, error.title, error.detail, { ...error.headers, ...close });
  if (error instanceof TooLargeError) {
    const quota = config.userQuotaBytes > 0 && error.limit < config.maxFileBytes;
    return new HttpError(413, 'File too large', quota
      ? `This file would take you past your storage quota of ${sizeText(config.userQuotaBytes)}. Delete some attachments, or ask an administrator. Nothing was saved.`
      : `Files may be at most ${sizeText(config.maxFileBytes)}. Nothing was saved.`, close);
  }
  if (error instanceof PartLimitError) {
    return new HttpError(413, `Too many ${error.what}`, error.what === 'files'
      ? `One upload may carry at most ${config.maxFilesPerUpload} files. Nothing was saved.`
      : 'This upload has more parts than the upload form sends. Nothing was saved.', close);
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    request.log.error({ err: error }, 'upload failed: disk full');
    return new HttpError(507, 'Server disk full', 'The server has no room for this file right now. Nothing was saved; tell the administrator.', close);
  }
  if (error instanceof IncompleteUploadError) {
    return new HttpError(400, 'Upload not understood', 'The upload did not arrive whole or was not a valid form. Nothing was saved; please try again.', close);
  }
  return error; // a server fault: the 500 page, logged
}

/**
 * Reads the multipart body: the CSRF token first (the form puts it before the files), then each file
 * streamed into the temp folder within the size limit and the uploader's quota.
 */
async function receiveUpload(request: FastifyRequest, userId: string): Promise<Arrived[]> {
  const { files, store, wamiConfig: config } = request.server;
  const arrived: Arrived[] = [];
  let signed = false;
  const quotaLeft = () => (config.userQuotaBytes > 0
    ? config.userQuotaBytes - store.attachments.bytesOf(userId) - arrived.reduce((sum, a) => sum + a.received.size, 0)
    : Infinity);
  try {
    await readParts(request, { files: config.maxFilesPerUpload, fields: 10, fieldSize: 4096 }, {
      field(name, value) {
        if (name === CSRF_FIELD) signed = tokensMatch(value, csrfTokenFor(request) ?? '');
      },
      async file(part) {
        if (!signed) throw staleFormError();
        if (!part.rawName) { // a file box left empty
          part.stream.resume();
          return;
        }
        const limit = Math.min(config.maxFileBytes, quotaLeft());
        if (limit <= 0) throw new TooLargeError(0);
        const received = await files.receive(part.stream, limit);
        const name = receivedName(part.rawName);
        arrived.push({ received, name, type: typeOf(name, part.sentType) });
      },
    });
    if (!signed) throw staleFormError();
    return arrived;
  } catch (error) {
    await Promise.all(arrived.map((a) => files.discard(a.received)));
    throw uploadError(request, error);
  }
}

/** Places every arrived file and records them in one transaction; on failure nothing stays. */
async function keep(request: FastifyRequest, userId: string, card: Card, arrived: Arrived[]): Promise<void> {
  const { files, store } = request.server;
  const placed: string[] = [];
  try {
    const rows: NewAttachment[] = [];
    for (const { received, name, type } of arrived) {
      const id = newId();
      const pixels = await pixelSize(received.tempPath, type);
      await files.place(received.tempPath, id);
      placed.push(id);
      rows.push({ id, name, type, size: received.size, sha256: received.sha256, ...pixels });
    }
    store.attachments.add(userId, card, rows);
  } catch (error) {
    await Promise.all(arrived.map((a) => files.discard(a.received)));
    await files.remove(placed);
    throw uploadError(request, error);
  }
}

function showAttachment(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, card: Card, attachment: Attachment,
  form: { name?: string; error?: string } = {}, status = 200) {
  const { board } = access;
  return reply.page('attachment', {
    title: `Attachment ${attachment.name}`,
    board, card, attachment,
    action: urls.attachment(board, card.id, attachment.id),
    fileUrl: urls.attachmentFile(board, card.id, attachment.id, attachment.name),
    sizeText: sizeText(attachment.size),
    canBeCover: attachment.width !== null,
    isCover: card.coverId === attachment.id,
    newName: form.name ?? attachment.name,
    errors: form.error ? [form.error] : [],
  }, status);
}

export const attachmentPages: FastifyPluginAsync = async (app) => {
  const card = '/b/:boardId/:slug/:cardId';
  const one = `${card}/attachments/:attachmentId`;

  app.post<{ Params: CardParams }>(`${card}/attachments`, { config: { csrf: 'own' } }, async (request, reply) => {
    const access = loadBoard(request, request.params.boardId);
    const user = need(access, 'edit', request);
    const target = loadCard(request, access, request.params.cardId);
    if (!isMultipart(request)) {
      throw new HttpError(415, 'Not a file upload', 'Files are attached with the upload form on the card page (multipart/form-data).');
    }
    const arrived = await receiveUpload(request, user.id);
    if (arrived.length === 0) return showCard(request, reply, access, target, { error: 'Choose a file to attach.' }, 422);
    await keep(request, user.id, target, arrived);
    return seeOther(request, reply, `${urls.card(access.board, target.id)}#attachments`);
  });

  // WeKan's attachment popup as a page of its own: the upload form first, for small screens and
  // for browsers whose Tab walks form widgets only (Dillo).
  app.get<{ Params: CardParams }>(`${card}/attachments`, (request, reply) => {
    const access = loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const target = loadCard(request, access, request.params.cardId);
    return reply.page('attachments', { title: `Attach files to ${target.title}`, board: access.board, card: target, ...attachmentList(request, access, target) });
  });

  app.get<AttachmentParams>(one, (request, reply) => {
    const { access, card: target, attachment } = loadAttachment(request, 'edit');
    return showAttachment(request, reply, access, target, attachment);
  });

  // The file. The name in the URL is only for the browser's "save as": the id alone finds the file.
  app.get<AttachmentParams & { Params: { filename: string } }>(`${one}/:filename`, async (request, reply) => {
    const { attachment } = loadAttachment(request, 'view');
    const path = request.server.files.pathOf(attachment.id);
    const stat = await fs.promises.stat(path).catch(() => null);
    if (!stat) {
      request.log.error({ attachmentId: attachment.id }, 'attachment file missing');
      throw new HttpError(500, 'File missing', 'The file of this attachment is missing on the server. The administrator can check the data folder.');
    }
    return sendFile(request, reply, {
      path,
      size: stat.size,
      type: attachment.type,
      etag: `"${Buffer.from(attachment.sha256, 'hex').toString('base64url')}"`,
      lastModified: new Date(attachment.createdAt),
      disposition: dispositionOf(attachment.name, attachment.type),
    });
  });

  app.post<AttachmentParams>(`${one}/rename`, (request, reply) => {
    const { access, card: target, attachment } = loadAttachment(request, 'edit');
    const user = need(access, 'edit', request);
    const typed = text(formBody(request), 'name');
    const checked = checkTitle(typed, 'File name');
    if (!checked.ok) return showAttachment(request, reply, access, target, attachment, { name: typed, error: checked.error }, 422);
    request.server.store.attachments.rename(user.id, attachment, cleanName(checked.value));
    return seeOther(request, reply, urls.attachment(access.board, target.id, attachment.id));
  });

  app.post<AttachmentParams>(`${one}/cover`, (request, reply) => {
    const { access, card: target, attachment } = loadAttachment(request, 'edit');
    const user = need(access, 'edit', request);
    const show = text(formBody(request), 'cover') === 'show';
    if (show && attachment.width === null) {
      return showAttachment(request, reply, access, target, attachment, { error: 'Only GIF, JPEG, PNG, WebP and BMP images can be a cover.' }, 422);
    }
    request.server.store.attachments.setCover(user.id, target, show ? attachment : null);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.post<AttachmentParams>(`${one}/delete`, async (request, reply) => {
    const { access, card: target, attachment } = loadAttachment(request, 'edit');
    const user = need(access, 'edit', request);
    if (text(formBody(request), 'confirm') !== 'yes') {
      return showAttachment(request, reply, access, target, attachment, { error: 'Tick the box to confirm that the file should be deleted.' }, 422);
    }
    request.server.store.attachments.remove(user.id, attachment);
    await request.server.files.remove([attachment.id]);
    return seeOther(request, reply, `${urls.card(access.board, target.id)}#attachments`);
  });
};
