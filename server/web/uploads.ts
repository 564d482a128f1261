// Reading a signed file upload from a page's form (attachments, board imports): the CSRF token first
// (our forms put it before the files, so nothing is written to disk for a forged post), the other
// fields kept, each file streamed into the temp folder within its limit. Whatever goes wrong, the
// files received so far are removed and the failure becomes the page it deserves; the connection is
// closed after it, so the rest of a big body is not read.
import { message, type MessageRef } from '../i18n/messages.js';


import type { FastifyRequest } from 'fastify';
import { IncompleteUploadError, PartLimitError, readParts } from '../files/multipart.js';
import { TooLargeError, type Received } from '../files/storage.js';
import { CSRF_FIELD, csrfTokenFor, staleFormError, tokensMatch } from './csrf.js';
import { HttpError } from './errors.js';

export interface UploadedFile {
  received: Received;
  /** The name as the browser sent it, path and all (files/names.ts makes a name of it). */
  rawName: string;
  sentType: string;
}

export interface UploadRules {
  maxFiles: number;
  /** Refuse at once a body that says it is larger (its Content-Length), before reading any of it. */
  maxBytes?: number;
  /** Bytes the next file may have, given the files already received. */
  limitFor(received: UploadedFile[]): number | Promise<number>;
  /** What a person is told when a file is over its limit. */
  tooLarge(error: TooLargeError): MessageRef;
}

/** Disk full and a broken body are told apart from server faults, which stay errors (a logged 500). */
export function uploadFailure(request: FastifyRequest, error: unknown, rules: Pick<UploadRules, 'maxFiles' | 'tooLarge'>): unknown {
  const close = { Connection: 'close' };
  if (error instanceof HttpError) return new HttpError(error.status, error.title, error.detail, { ...error.headers, ...close });
  if (error instanceof TooLargeError) {
    return new HttpError(413, message('errors.fileTooLarge'), message('errors.tooLargeNothingSaved', { rule: rules.tooLarge(error) }), close);
  }
  if (error instanceof PartLimitError) {
    return error.what === 'files'
      ? new HttpError(413, message('errors.tooManyFiles'), message('errors.tooManyFilesDetail', { max: rules.maxFiles }), close)
      : new HttpError(413, message('errors.tooManyParts'), message('errors.tooManyPartsDetail'), close);
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    request.log.error({ err: error }, 'upload failed: disk full');
    return new HttpError(507, message('errors.diskFull'), message('errors.diskFullDetail'), close);
  }
  if (error instanceof IncompleteUploadError) {
    return new HttpError(400, message('errors.uploadBroken'), message('errors.uploadBrokenDetail'), close);
  }
  return error;
}

/** The form's fields and its files (empty file boxes left out), or an HttpError to show. */
export async function readSignedUpload(request: FastifyRequest, rules: UploadRules): Promise<{ fields: Map<string, string>; files: UploadedFile[] }> {
  const { files: store } = request.server;
  const fields = new Map<string, string>();
  const files: UploadedFile[] = [];
  let signed = false;
  try {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (rules.maxBytes !== undefined && declared > rules.maxBytes) throw new TooLargeError(rules.maxBytes);
    await readParts(request, { files: rules.maxFiles, fields: 10, fieldSize: 4096 }, {
      field(name, value) {
        if (name === CSRF_FIELD) signed = tokensMatch(value, csrfTokenFor(request) ?? '');
        else fields.set(name, value);
      },
      async file(part) {
        if (!signed) throw staleFormError();
        if (!part.rawName) return void part.stream.resume(); // a file box left empty
        const limit = await rules.limitFor(files);
        if (limit <= 0) throw new TooLargeError(0);
        files.push({ received: await store.receive(part.stream, limit), rawName: part.rawName, sentType: part.sentType });
      },
    });
    if (!signed) throw staleFormError();
    return { fields, files };
  } catch (error) {
    await Promise.all(files.map((f) => store.discard(f.received)));
    throw uploadFailure(request, error, rules);
  }
}
