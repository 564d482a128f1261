// Turning a checked import plan into a board: attachment files written (or copied) and placed first,
// then one transaction for the rows; on failure the placed files go again. Used by the API, the import
// page and board copies.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ImportedFile } from '../store/board-import.js';
import { newId } from '../ids.js';
import { pixelSize } from '../files/images.js';
import { typeOf } from '../files/names.js';
import type { ProgressReport } from './jobs.js';
import type { ImportPlan } from './plan.js';

/** Base64 decoded in slices (a multiple of 4 characters each), as a stream for the file store. */
function base64Stream(text: string): Readable {
  const SLICE = 4 * 64 * 1024;
  return Readable.from((function* slices() {
    for (let at = 0; at < text.length; at += SLICE) yield Buffer.from(text.slice(at, at + SLICE), 'base64');
  })(), { objectMode: false });
}

/** What an import works with: the store, the attachment files and the settings (a server's, or the CLI's). */
export type ImportContext = Pick<FastifyInstance, 'store' | 'files' | 'wamiConfig'>;

/** Export user id -> the local account id the importer picked for them. */
export type PickedPeople = Record<string, unknown>;

/**
 * Who each person of the export is here, by the importer's picks alone (the preview's selects, the API's
 * `membersMapping`, a copy's own ids): an import never makes cards and comments speak for someone, or
 * puts them on a board, unless the importer chose that. Nobody picked (or a disabled account): nobody,
 * reported by their export name.
 */
export async function pickedPeople(context: ImportContext, plan: ImportPlan, picks: PickedPeople) {
  const { users } = context.store;
  const people = new Map<string, string>();
  const unmatched: string[] = [];
  for (const [exportId, username] of plan.users) {
    const pick = picks[exportId];
    const local = typeof pick === 'string' && pick ? await users.byId(pick) : undefined;
    if (local && !local.loginDisabled) people.set(exportId, local.id);
    else unmatched.push(username || exportId);
  }
  return { people, unmatched };
}

/** Accounts with the same username as people of the export: what the preview proposes, for the importer to confirm or change. */
export async function sameUsernames(context: ImportContext, plan: ImportPlan): Promise<Record<string, string>> {
  const { users } = context.store;
  const found: Record<string, string> = {};
  for (const [exportId, username] of plan.users) {
    const local = username ? await users.byUsername(username) : undefined;
    if (local && !local.loginDisabled) found[exportId] = local.id;
  }
  return found;
}

/**
 * Comments by someone nobody here stands for are kept under the importer's name, so each says whom it
 * was imported from (in the words stored with the board: English, as "Default" is).
 */
function markUnpickedAuthors(plan: ImportPlan, people: Map<string, string>): void {
  for (const comment of plan.comments) {
    if (!comment.userId || people.has(comment.userId)) continue;
    const name = (plan.users.get(comment.userId) || comment.userId).replace(/[\\`*_[\]<>]/g, '');
    comment.text = `_Imported from ${name}:_\n\n${comment.text}`;
  }
}

/** Writes the files carried as base64, or copies local ones, under new ids (export id -> what was placed). */
async function placeFiles(context: ImportContext, plan: ImportPlan, report?: ProgressReport): Promise<Map<string, ImportedFile>> {
  const { files, wamiConfig, store } = context;
  const placed = new Map<string, ImportedFile>();
  const total = plan.attachments.length;
  try {
    for (const [index, attachment] of plan.attachments.entries()) {
      report?.files(index, total);
      const id = newId();
      const original = attachment.copyOf ? (await store.attachments.byId(attachment.cardId, attachment.copyOf)) : undefined;
      if (original) {
        await files.duplicate(original.id, id);
        placed.set(attachment.id, { id, size: original.size, sha256: original.sha256, width: original.width, height: original.height });
      } else if (attachment.received) {
        const { tempPath, size, sha256 } = attachment.received;
        const pixels = await pixelSize(tempPath, typeOf(attachment.name, attachment.type));
        await files.place(tempPath, id);
        placed.set(attachment.id, { id, size, sha256, ...pixels });
      } else if (attachment.file !== null) {
        const received = await files.receive(base64Stream(attachment.file), wamiConfig.maxFileBytes);
        const pixels = await pixelSize(received.tempPath, typeOf(attachment.name, attachment.type));
        await files.place(received.tempPath, id);
        placed.set(attachment.id, { id, size: received.size, sha256: received.sha256, ...pixels });
      }
    }
    report?.files(total, total);
    return placed;
  } catch (error) {
    await files.remove([...placed.values()].map((f) => f.id));
    await discardReceived(context, plan);
    throw error;
  }
}

/** Removes the streamed files of a plan that will not be imported (those placed are gone from tmp). */
export async function discardReceived(context: ImportContext, plan: ImportPlan): Promise<void> {
  await Promise.all(plan.attachments.map((a) => (a.received ? context.files.discard(a.received) : undefined)));
}

/** Creates the board from the plan for `userId`; answers its id and the people not found here. */
export async function runImport(context: ImportContext, userId: string, plan: ImportPlan, picks: PickedPeople,
  report?: ProgressReport): Promise<{ boardId: string; unmatched: string[] }> {
  const { people, unmatched } = await pickedPeople(context, plan, picks);
  markUnpickedAuthors(plan, people);
  const files = await placeFiles(context, plan, report);
  report?.board();
  try {
    return { boardId: await context.store.boardImport.create(userId, plan, people, files), unmatched };
  } catch (error) {
    await context.files.remove([...files.values()].map((f) => f.id));
    throw error;
  }
}
