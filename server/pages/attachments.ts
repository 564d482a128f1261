// Attachments on the card page: upload (multipart, streamed to disk), download (ranges, see
// files/download.ts), and a page per attachment to rename it, make it the card's cover, or delete it.
import { message } from '../i18n/messages.js';
import type { Localized } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card } from '../store/cards.js';
import type { Attachment } from '../store/attachments.js';
import { looksLikeId } from '../ids.js';
import { checkTitle } from '../validation.js';
import { sendAttachment } from '../web/attachment-file.js';
import { cleanName, receivedName, typeOf } from '../files/names.js';
import { isMultipart } from '../files/multipart.js';
import { loadBoard, loadCard, need } from '../web/access.js';
import { HttpError, notFound } from '../web/errors.js';
import { attachmentList, sizeText } from '../web/file-display.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { readSignedUpload } from '../web/uploads.js';
import { attachmentRules, keep, type Arrived } from '../web/attachment-uploads.js';
import { urls } from '../web/urls.js';
import { messagesFor } from '../web/language.js';
import { showCard } from './card.js';

type CardParams = { boardId: string; slug: string; cardId: string };
type AttachmentParams = { Params: CardParams & { attachmentId: string } };

async function loadAttachment(request: FastifyRequest<AttachmentParams>, action: 'view' | 'edit') {
  const access = await loadBoard(request, request.params.boardId);
  if (action === 'edit') need(access, 'edit', request);
  const card = await loadCard(request, access, request.params.cardId);
  const attachment = looksLikeId(request.params.attachmentId)
    ? (await request.server.store.attachments.byId(card.id, request.params.attachmentId)) : undefined;
  if (!attachment) throw notFound();
  return { access, card, attachment };
}

/** Reads the upload's files into the temp folder (uploads.ts): each with its name and type. */
async function receiveUpload(request: FastifyRequest, userId: string): Promise<Arrived[]> {
  const { files } = await readSignedUpload(request, attachmentRules(request, userId));
  return files.map(({ received, rawName, sentType }) => {
    const name = receivedName(rawName);
    return { received, name, type: typeOf(name, sentType) };
  });
}

function showAttachment(request: FastifyRequest, reply: FastifyReply, access: BoardAccess, card: Card, attachment: Attachment,
  form: { name?: string; error?: Localized } = {}, status = 200) {
  const { board } = access;
  return reply.page('attachment', {
    title: messagesFor(request).t('attachments.heading', { name: attachment.name }),
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
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'edit', request);
    const target = await loadCard(request, access, request.params.cardId);
    if (!isMultipart(request)) {
      throw new HttpError(415, message('errors.notUpload'), message('errors.notUploadAttach'));
    }
    const arrived = await receiveUpload(request, user.id);
    if (arrived.length === 0) return showCard(request, reply, access, target, { error: message('pageErrors.chooseFile') }, 422);
    await keep(request, user.id, target, arrived);
    return seeOther(request, reply, `${urls.card(access.board, target.id)}#attachments`);
  });

  // WeKan's attachment popup as a page of its own: the upload form first, for small screens and
  // for browsers whose Tab walks form widgets only (Dillo).
  app.get<{ Params: CardParams }>(`${card}/attachments`, async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    need(access, 'edit', request);
    const target = await loadCard(request, access, request.params.cardId);
    return reply.page('attachments', { title: messagesFor(request).t('attachments.attachTo', { card: target.title }), board: access.board, card: target, ...await attachmentList(request, access, target) });
  });

  app.get<AttachmentParams>(one, async (request, reply) => {
    const { access, card: target, attachment } = await loadAttachment(request, 'edit');
    return showAttachment(request, reply, access, target, attachment);
  });

  // The file. The name in the URL is only for the browser's "save as": the id alone finds the file.
  app.get<AttachmentParams & { Params: { filename: string } }>(`${one}/:filename`, async (request, reply) => {
    const { attachment } = await loadAttachment(request, 'view');
    return sendAttachment(request, reply, attachment);
  });

  app.post<AttachmentParams>(`${one}/rename`, async (request, reply) => {
    const { access, card: target, attachment } = await loadAttachment(request, 'edit');
    const user = need(access, 'edit', request);
    const typed = text(formBody(request), 'name');
    const checked = checkTitle(typed, 'fileName');
    if (!checked.ok) return showAttachment(request, reply, access, target, attachment, { name: typed, error: checked.error }, 422);
    await request.server.store.attachments.rename(user.id, attachment, cleanName(checked.value));
    return seeOther(request, reply, urls.attachment(access.board, target.id, attachment.id));
  });

  app.post<AttachmentParams>(`${one}/cover`, async (request, reply) => {
    const { access, card: target, attachment } = await loadAttachment(request, 'edit');
    const user = need(access, 'edit', request);
    const show = text(formBody(request), 'cover') === 'show';
    if (show && attachment.width === null) {
      return showAttachment(request, reply, access, target, attachment, { error: message('pageErrors.coverKinds') }, 422);
    }
    await request.server.store.attachments.setCover(user.id, target, show ? attachment : null);
    return seeOther(request, reply, urls.card(access.board, target.id));
  });

  app.post<AttachmentParams>(`${one}/delete`, async (request, reply) => {
    const { access, card: target, attachment } = await loadAttachment(request, 'edit');
    const user = need(access, 'edit', request);
    if (text(formBody(request), 'confirm') !== 'yes') {
      return showAttachment(request, reply, access, target, attachment, { error: message('pageErrors.confirmDelete') }, 422);
    }
    await request.server.store.attachments.remove(user.id, attachment);
    await request.server.files.remove([attachment.id]);
    return seeOther(request, reply, `${urls.card(access.board, target.id)}#attachments`);
  });
};
