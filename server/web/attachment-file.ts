// An attachment's bytes as a download (files/download.ts: ranges, validators), from a card page's link
// or the API. A row whose file is gone is a server fault, logged, never a silent empty answer.
import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { message } from '../i18n/messages.js';
import type { Attachment } from '../store/attachments.js';
import { sendFile } from '../files/download.js';
import { dispositionOf, servedType } from '../files/names.js';
import { HttpError } from './errors.js';

/** The stored file's path and size; a 500 when the row names a file that is not there. */
export async function storedFile(request: FastifyRequest, file: { id: string }): Promise<{ path: string; size: number }> {
  const path = request.server.files.pathOf(file.id);
  const stat = await fs.promises.stat(path).catch(() => null);
  if (!stat) {
    request.log.error({ attachmentId: file.id }, 'attachment file missing');
    throw new HttpError(500, message('errors.fileMissing'), message('errors.fileMissingDetail'));
  }
  return { path, size: stat.size };
}

/** A file of the attachments folder (an attachment, a board's background) with its recorded type, hash and date. */
export async function sendStoredFile(request: FastifyRequest, reply: FastifyReply,
  file: Pick<Attachment, 'id' | 'type' | 'sha256' | 'createdAt'>, disposition: string): Promise<FastifyReply> {
  const { path, size } = await storedFile(request, file);
  return sendFile(request, reply, {
    path,
    size,
    type: servedType(file.type),
    etag: `"${Buffer.from(file.sha256, 'hex').toString('base64url')}"`,
    lastModified: new Date(file.createdAt),
    disposition,
  });
}

export async function sendAttachment(request: FastifyRequest, reply: FastifyReply, attachment: Attachment): Promise<FastifyReply> {
  return sendStoredFile(request, reply, attachment, dispositionOf(attachment.name, attachment.type));
}
