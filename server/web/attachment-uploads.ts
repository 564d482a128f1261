// Keeping uploaded attachments, from a card page or the API: the size limit and the uploader's quota
// while the files arrive, then every file placed and recorded in one transaction, or none.
import type { FastifyRequest } from 'fastify';
import { message } from '../i18n/messages.js';
import type { Card } from '../store/cards.js';
import type { NewAttachment } from '../store/attachments.js';
import type { Received } from '../files/storage.js';
import { pixelSize } from '../files/images.js';
import { newId } from '../ids.js';
import { sizeText } from './file-display.js';
import { uploadFailure, type UploadRules } from './uploads.js';

/** A file taken from the upload, in the temp folder until the whole upload has arrived. */
export interface Arrived {
  received: Received;
  name: string;
  type: string;
}

/** The rules of an attachment upload: the size limit, the uploader's quota, files per upload. */
export function attachmentRules(request: FastifyRequest, userId: string): UploadRules {
  const { store, wamiConfig: config } = request.server;
  return {
    maxFiles: config.maxFilesPerUpload,
    limitFor: async (received) => Math.min(config.maxFileBytes, config.userQuotaBytes > 0
      ? config.userQuotaBytes - (await store.attachments.bytesOf(userId)) - received.reduce((sum, f) => sum + f.received.size, 0)
      : Infinity),
    tooLarge: (error) => (config.userQuotaBytes > 0 && error.limit < config.maxFileBytes
      ? message('errors.pastQuota', { quota: sizeText(config.userQuotaBytes) })
      : message('errors.filesAtMost', { size: sizeText(config.maxFileBytes) })),
  };
}

/** Places every arrived file and records them in one transaction (answering their ids); on failure nothing stays. */
export async function keep(request: FastifyRequest, userId: string, card: Card, arrived: Arrived[]): Promise<string[]> {
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
    await store.attachments.add(userId, card, rows);
    return placed;
  } catch (error) {
    await Promise.all(arrived.map((a) => files.discard(a.received)));
    await files.remove(placed);
    throw uploadFailure(request, error, attachmentRules(request, userId));
  }
}

