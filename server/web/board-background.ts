// A board's background picture, from the board settings page or WeKan's API: kept only when it is an
// image Wami can show (GIF, JPEG, PNG, WebP, BMP with a readable size), placed and recorded, the picture
// it replaces removed after the commit; and served as the card page serves attachments (ranges, validators).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { message } from '../i18n/messages.js';
import type { BoardBackground } from '../store/board-backgrounds.js';
import type { Received } from '../files/storage.js';
import { pixelSize } from '../files/images.js';
import { typeOf } from '../files/names.js';
import { newId } from '../ids.js';
import { sendStoredFile } from './attachment-file.js';
import { HttpError } from './errors.js';

/** Makes the received file the board's background; a file that is not a picture Wami shows is 422 (and gone). */
export async function keepBackground(request: FastifyRequest, userId: string, boardId: string,
  upload: { received: Received; name: string; sentType: string }): Promise<string> {
  const { files, store } = request.server;
  const type = typeOf(upload.name, upload.sentType);
  const { width, height } = await pixelSize(upload.received.tempPath, type);
  if (width === null || height === null) {
    await files.discard(upload.received);
    throw new HttpError(422, message('errors.notAPicture'), message('errors.notAPictureDetail'));
  }
  const id = newId();
  await files.place(upload.received.tempPath, id);
  let replaced: string | null;
  try {
    replaced = await store.boardBackgrounds.set(userId, boardId, { id, name: upload.name, type, size: upload.received.size,
      sha256: upload.received.sha256, width, height });
  } catch (error) {
    await files.remove([id]);
    throw error;
  }
  if (replaced) await files.remove([replaced]); // after the commit: a row never names a missing file
  return id;
}

export async function sendBackground(request: FastifyRequest, reply: FastifyReply, background: BoardBackground): Promise<FastifyReply> {
  return sendStoredFile(request, reply, background, 'inline');
}
