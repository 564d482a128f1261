// Attachments: the rows behind the files on cards (the files themselves: server/files/storage.ts).
// A file is placed on disk before its row is committed, and removed after its row is gone, so a row
// never names a missing file; a crash between the two leaves at worst an orphan file, which
// `wami check` (Step 8) lists.
import type { Db } from './db.js';
import type { Activities } from './activities.js';
import type { Card } from './cards.js';
import { now } from './time.js';

export interface Attachment {
  id: string;
  boardId: string;
  cardId: string;
  userId: string | null;
  username: string | null;
  name: string;
  type: string;
  size: number;
  sha256: string;
  /** Pixel size, for images we can show as a card cover; null otherwise. */
  width: number | null;
  height: number | null;
  createdAt: string;
  modifiedAt: string;
}

/** A received file, ready to be recorded: its id names the place it was already moved to. */
export type NewAttachment = Pick<Attachment, 'id' | 'name' | 'type' | 'size' | 'sha256' | 'width' | 'height'>;

const COLUMNS = `a.id, a.board_id AS boardId, a.card_id AS cardId, a.user_id AS userId, u.username, a.name, a.type,
  a.size, a.sha256, a.width, a.height, a.created_at AS createdAt, a.modified_at AS modifiedAt`;

export class Attachments {
  constructor(
    private readonly db: Db,
    private readonly activities: Activities,
  ) {}

  forCard(cardId: string): Attachment[] {
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM attachments a LEFT JOIN users u ON u.id = a.user_id
                WHERE a.card_id = ? ORDER BY a.created_at, a.id`)
      .all(cardId) as Attachment[];
  }

  /** Every attachment of the board's cards, with where the card is (the API's list). */
  forBoard(boardId: string): (Attachment & { listId: string; swimlaneId: string })[] {
    return this.db
      .prepare(`SELECT ${COLUMNS}, c.list_id AS listId, c.swimlane_id AS swimlaneId
                FROM attachments a JOIN cards c ON c.id = a.card_id LEFT JOIN users u ON u.id = a.user_id
                WHERE a.board_id = ? ORDER BY a.created_at, a.id`)
      .all(boardId) as (Attachment & { listId: string; swimlaneId: string })[];
  }

  /** The attachment on this card, or undefined (an id from another card or board is not found). */
  byId(cardId: string, attachmentId: string): Attachment | undefined {
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM attachments a LEFT JOIN users u ON u.id = a.user_id WHERE a.card_id = ? AND a.id = ?`)
      .get(cardId, attachmentId) as Attachment | undefined;
  }

  /** Every attachment's id, size and hash, one at a time (backup and check walk all of them). */
  *everyFile(): Generator<{ id: string; size: number; sha256: string }> {
    yield* this.db.prepare('SELECT id, size, sha256 FROM attachments ORDER BY id').iterate() as
      Iterable<{ id: string; size: number; sha256: string }>;
  }

  /** Drops rows whose files are gone (a backup's copy, when a file was deleted while it was made). */
  readonly forgetRows = (ids: string[]): void =>
    this.db.transaction(() => {
      const drop = this.db.prepare('DELETE FROM attachments WHERE id = ?');
      for (const id of ids) drop.run(id);
    })();

  /** Bytes of attachments the user has uploaded (for the optional quota). */
  bytesOf(userId: string): number {
    return this.db.prepare('SELECT coalesce(sum(size), 0) FROM attachments WHERE user_id = ?').pluck().get(userId) as number;
  }

  /** Records files already placed on disk, all in one transaction (an upload of several is all or nothing). */
  readonly add = (userId: string, card: Card, files: NewAttachment[]): void =>
    this.db.transaction(() => {
      const at = now();
      for (const file of files) {
        this.db
          .prepare(`INSERT INTO attachments (id, board_id, card_id, user_id, name, type, size, sha256, width, height, created_at, modified_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(file.id, card.boardId, card.id, userId, file.name, file.type, file.size, file.sha256, file.width, file.height, at, at);
        this.activities.record(card.boardId, userId, 'addAttachment', { cardId: card.id }, { attachmentId: file.id, name: file.name });
      }
    })();

  readonly rename = (userId: string, attachment: Attachment, name: string): void =>
    this.db.transaction(() => {
      if (name === attachment.name) return;
      this.db.prepare('UPDATE attachments SET name = ?, modified_at = ? WHERE id = ?').run(name, now(), attachment.id);
      this.activities.record(attachment.boardId, userId, 'renameAttachment', { cardId: attachment.cardId },
        { attachmentId: attachment.id, oldName: attachment.name, name });
    })();

  /** Deletes the row (a cover showing it is cleared); the caller removes the file after. */
  readonly remove = (userId: string, attachment: Attachment): void =>
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM attachments WHERE id = ?').run(attachment.id);
      this.activities.record(attachment.boardId, userId, 'deleteAttachment', { cardId: attachment.cardId },
        { attachmentId: attachment.id, name: attachment.name });
    })();

  /** Shows the image on the board as the card's cover, or (null) shows none. */
  readonly setCover = (userId: string, card: Card, attachment: Attachment | null): void =>
    this.db.transaction(() => {
      if ((attachment?.id ?? null) === card.coverId) return;
      this.db.prepare('UPDATE cards SET cover_id = ?, modified_at = ? WHERE id = ?').run(attachment?.id ?? null, now(), card.id);
      this.activities.record(card.boardId, userId, attachment ? 'setCover' : 'removeCover', { cardId: card.id },
        attachment ? { attachmentId: attachment.id, name: attachment.name } : {});
    })();
}
