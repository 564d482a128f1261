// Copies that carry attachments (a card, a list, a swimlane): each file is copied to a new id before the
// rows are written, since a file copy cannot be part of a transaction. If the write fails the copied files
// go again; files whose rows were not written after all (a card archived meanwhile) go too.
import type { Store } from '../store/index.js';
import type { Card } from '../store/cards.js';
import type { CardDestination } from '../store/card-transfer.js';
import type { Lane } from '../store/lanes.js';
import type { ListDestination } from '../store/lane-transfer.js';
import type { AttachmentFiles } from './storage.js';
import { newId } from '../ids.js';

export async function withCopiedFiles<T>(store: Store, files: AttachmentFiles, attachmentIds: string[],
  write: (copies: Map<string, string>) => Promise<T>): Promise<T> {
  const copies = new Map<string, string>();
  let result: T;
  try {
    for (const id of attachmentIds) {
      const copyId = newId();
      await files.duplicate(id, copyId);
      copies.set(id, copyId);
    }
    result = await write(copies);
  } catch (error) {
    await files.remove([...copies.values()]);
    throw error;
  }
  const kept = await store.attachments.existing([...copies.values()]);
  await files.remove([...copies.values()].filter((id) => !kept.has(id)));
  return result;
}

/** A copy of the card with its files, at the bottom of the target cell. */
export async function copyCardWithFiles(store: Store, files: AttachmentFiles, userId: string, card: Card, to: CardDestination): Promise<string> {
  const attachmentIds = (await store.attachments.forCard(card.id)).map((attachment) => attachment.id);
  return withCopiedFiles(store, files, attachmentIds, (copies) => store.cardTransfer.copy(userId, card, to, copies));
}

/** A copy of the list with its live cards' files, on `to` (store/lane-transfer.ts). */
export async function copyListWithFiles(store: Store, files: AttachmentFiles, userId: string, list: Lane, to: ListDestination): Promise<string> {
  const attachmentIds = await store.attachments.idsInLane(list.boardId, 'list', list.id);
  return withCopiedFiles(store, files, attachmentIds, (copies) => store.laneTransfer.copyList(userId, list, to, copies));
}

/** A copy of the swimlane, titled `title`, with its live cards' files, on the board `toBoardId`. */
export async function copySwimlaneWithFiles(store: Store, files: AttachmentFiles, userId: string, swimlane: Lane, toBoardId: string,
  title: string): Promise<string> {
  const attachmentIds = await store.attachments.idsInLane(swimlane.boardId, 'swimlane', swimlane.id);
  return withCopiedFiles(store, files, attachmentIds, (copies) => store.laneTransfer.copySwimlane(userId, swimlane, toBoardId, title, copies));
}
