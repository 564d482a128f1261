// Attachment files on disk: wekandata/attachments/<2 hex>/<2 hex>/<attachment id>. The two folder
// levels come from a hash of the id (ids are not hex), so no folder grows past a few thousand files;
// the path is made from the id alone, never from anything a user typed.
//
// An upload streams into wekandata/tmp/ (same filesystem, so the move into place is an atomic rename)
// while it is hashed and counted; it is fsynced before the move and the folder after it, so a file whose
// row is committed survives a power cut. Nothing is held in memory but the stream's own buffers.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Bytes each stage of an upload may hold before it makes the one before it wait. With the 16 KiB
 * default every 64 KiB socket read waited for a disk write, and uploads ran at a tenth of the disk's
 * speed; 1 MiB per stage keeps memory per upload at a few MiB.
 */
export const STREAM_BUFFER = 1024 * 1024;

/** A file received into the temp folder, not yet placed. */
export interface Received {
  tempPath: string;
  size: number;
  sha256: string;
}

/** The file went past the bytes it was allowed (the size limit or the user's quota). */
export class TooLargeError extends Error {
  override name = 'TooLargeError';
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
  }
}

/** Counts and hashes what passes through; fails once more than `limit` bytes have passed. */
class Measure extends Transform {
  readonly hash = createHash('sha256');
  size = 0;

  constructor(private readonly limit: number) {
    super({ highWaterMark: STREAM_BUFFER });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void): void {
    this.size += chunk.length;
    if (this.size > this.limit) return done(new TooLargeError(this.limit));
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/**
 * Copies a file (a reflink where the file system can: btrfs, xfs; else the bytes) and flushes the copy
 * to disk before it returns. The folder it lands in is made if missing; syncing that folder is the
 * caller's, once its renames are done.
 */
export async function copyDurably(from: string, to: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(to), { recursive: true });
  await fs.promises.copyFile(from, to, fs.constants.COPYFILE_FICLONE);
  const handle = await fs.promises.open(to, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.promises.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Where attachment `id` lives under an attachments folder: two levels of folders from the id's SHA-256,
 * so no folder holds more than a few hundred files. The id is ours (never a name from a request).
 */
export function attachmentPath(root: string, id: string): string {
  const shard = createHash('sha256').update(id).digest('hex');
  return path.join(root, shard.slice(0, 2), shard.slice(2, 4), id);
}

export class AttachmentFiles {
  readonly root: string;
  readonly tempDir: string;
  /** Attachment bytes received whole and read out to clients since start (for /metrics). */
  readonly traffic = { bytesIn: 0, bytesOut: 0 };

  /** `root`: where placed files live; the temp folder stays in the data folder, on this machine. */
  constructor(dataDir: string, root = path.join(dataDir, 'attachments')) {
    this.root = root;
    this.tempDir = path.join(dataDir, 'tmp');
    fs.mkdirSync(this.root, { recursive: true });
    fs.mkdirSync(this.tempDir, { recursive: true });
    // Uploads cut short by a crash or a kill, and imports waiting for their confirmation: no row names
    // them, so they go at start.
    for (const name of fs.readdirSync(this.tempDir)) {
      if (name.startsWith('upload-') || name.startsWith('import-')) fs.rmSync(path.join(this.tempDir, name), { force: true });
    }
  }

  /** Where the attachment with this id lives. */
  pathOf(id: string): string {
    return attachmentPath(this.root, id);
  }

  /**
   * Streams `source` into a new temp file, hashing and counting; more than `limit` bytes fail with
   * TooLargeError. On any failure (limit, client gone, disk full) the temp file is removed first.
   */
  async receive(source: Readable, limit: number): Promise<Received> {
    const tempPath = path.join(this.tempDir, `upload-${randomBytes(12).toString('hex')}`);
    const measure = new Measure(limit);
    // flush: the file is fsynced before it is closed, so what we place and record is on disk
    const target = fs.createWriteStream(tempPath, { flags: 'wx', flush: true, highWaterMark: STREAM_BUFFER });
    try {
      await pipeline(source, measure, target);
    } catch (error) {
      source.resume(); // let the parser go on to the end of the body
      // A file too large from its first bytes fails before the file is even open; it is created when the
      // open completes, so remove it only once the stream is closed.
      if (!target.closed) await new Promise<void>((resolve) => target.once('close', () => resolve())); // not events.once: it rejects on 'error'
      await fs.promises.rm(tempPath, { force: true });
      throw error;
    }
    this.traffic.bytesIn += measure.size;
    return { tempPath, size: measure.size, sha256: measure.hash.digest('hex') };
  }

  /**
   * Moves a file from the temp folder to the place of attachment `id`, durably. When the attachments
   * live on another file system (a folder shared by several instances), the file is copied beside its
   * place, flushed, and renamed there: a reader never sees half a file.
   */
  async place(tempPath: string, id: string): Promise<void> {
    const target = this.pathOf(id);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.promises.rename(tempPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      const beside = `${target}.incoming-${randomBytes(6).toString('hex')}`;
      try {
        await copyDurably(tempPath, beside);
        await fs.promises.rename(beside, target);
      } catch (copyError) {
        await fs.promises.rm(beside, { force: true });
        throw copyError;
      }
      await fs.promises.rm(tempPath, { force: true });
    }
    await syncFolder(path.dirname(target));
  }

  /** Copies attachment `fromId`'s file to the place of `toId` (a copied card), durably. */
  async duplicate(fromId: string, toId: string): Promise<void> {
    const tempPath = path.join(this.tempDir, `upload-${randomBytes(12).toString('hex')}`);
    try {
      await copyDurably(this.pathOf(fromId), tempPath);
      await this.place(tempPath, toId);
    } catch (error) {
      await fs.promises.rm(tempPath, { force: true });
      throw error;
    }
  }

  /** Removes a temp file that will not be placed (an upload that failed part-way). */
  async discard(received: Received): Promise<void> {
    await fs.promises.rm(received.tempPath, { force: true });
  }

  /** Removes the files of deleted attachments; a file already gone is no error. */
  async remove(ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => fs.promises.rm(this.pathOf(id), { force: true })));
  }
}
