// Attachments: the rows behind the files on cards (the files themselves: server/files/storage.ts).
// A file is placed on disk before its row is committed, and removed after its row is gone, so a row
// never names a missing file; a crash between the two leaves at worst an orphan file, which
// `wami check` (Step 8) lists.
import type { Sql } from './sql.js';
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

const COLUMNS = `a.id, a.board_id AS "boardId", a.card_id AS "cardId", a.user_id AS "userId", u.username, a.name, a.type,
  a.size, a.sha256, a.width, a.height, a.created_at AS "createdAt", a.modified_at AS "modifiedAt"`;

export class Attachments {
  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
  ) {}

  async forCard(cardId: string): Promise<Attachment[]> {
    return await this.sql.all(`SELECT ${COLUMNS} FROM attachments a LEFT JOIN users u ON u.id = a.user_id
                WHERE a.card_id = ? ORDER BY a.created_at, a.id`, cardId) as Attachment[];
  }

  /** Every attachment of the board's cards, with where the card is (the API's list). */
  async forBoard(boardId: string): Promise<(Attachment & { listId: string; swimlaneId: string })[]> {
    return await this.sql.all(`SELECT ${COLUMNS}, c.list_id AS "listId", c.swimlane_id AS "swimlaneId"
                FROM attachments a JOIN cards c ON c.id = a.card_id LEFT JOIN users u ON u.id = a.user_id
                WHERE a.board_id = ? ORDER BY a.created_at, a.id`, boardId) as (Attachment & { listId: string; swimlaneId: string })[];
  }

  /** The ids of the attachments on the live cards of a list or swimlane (what a copy of it copies). */
  async idsInLane(boardId: string, kind: 'list' | 'swimlane', laneId: string): Promise<string[]> {
    return await this.sql.column(`SELECT a.id FROM attachments a JOIN cards c ON c.id = a.card_id
                WHERE c.board_id = ? AND c.${kind === 'list' ? 'list_id' : 'swimlane_id'} = ? AND c.archived = 0`, boardId, laneId) as string[];
  }

  /** Which of these attachment ids have a row (the others' files were copied for nothing). */
  async existing(ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let at = 0; at < ids.length; at += 500) {
      const page = ids.slice(at, at + 500);
      for (const id of await this.sql.column(`SELECT id FROM attachments WHERE id IN (${page.map(() => '?').join(', ')})`, ...page)) {
        found.add(id as string);
      }
    }
    return found;
  }

  /** The attachment on this card, or undefined (an id from another card or board is not found). */
  async byId(cardId: string, attachmentId: string): Promise<Attachment | undefined> {
    return await this.sql.one(
      `SELECT ${COLUMNS} FROM attachments a LEFT JOIN users u ON u.id = a.user_id WHERE a.card_id = ? AND a.id = ?`,
      cardId, attachmentId) as Attachment | undefined;
  }

  /** Every attachment's id, size and hash, one at a time (backup and check walk all of them). */
  async *everyFile(): AsyncGenerator<{ id: string; size: number; sha256: string }> {
    // in pages by id, so neither engine holds a cursor (or all rows) while the caller reads files
    let after = '';
    for (;;) {
      // a board's background picture is a file of the folder as well
      const page = await this.sql.all<{ id: string; size: number; sha256: string }>(`SELECT id, size, sha256 FROM
          (SELECT id, size, sha256 FROM attachments UNION ALL SELECT id, size, sha256 FROM board_backgrounds) files
        WHERE id > ? ORDER BY id LIMIT 500`, after);
      yield* page;
      if (page.length < 500) return;
      after = page.at(-1)!.id;
    }
  }

  /** Drops rows whose files are gone (a backup's copy, when a file was deleted while it was made). */
  readonly forgetRows = async (ids: string[]): Promise<void> =>
    this.sql.transaction(async () => {
      for (const id of ids) {
        await this.sql.run('DELETE FROM attachments WHERE id = ?', id);
        await this.sql.run('DELETE FROM board_backgrounds WHERE id = ?', id);
      }
    });

  /** Bytes of attachments the user has uploaded (for the optional quota). */
  async bytesOf(userId: string): Promise<number> {
    return await this.sql.value('SELECT coalesce(sum(size), 0) FROM attachments WHERE user_id = ?', userId) as number;
  }

  /** Records files already placed on disk, all in one transaction (an upload of several is all or nothing). */
  readonly add = async (userId: string, card: Card, files: NewAttachment[]): Promise<void> =>
    this.sql.transaction(async () => {
      const at = now();
      for (const file of files) {
        await this.sql.run(
          `INSERT INTO attachments (id, board_id, card_id, user_id, name, type, size, sha256, width, height, created_at, modified_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, file.id, card.boardId, card.id, userId, file.name, file.type, file.size, file.sha256, file.width, file.height, at, at);
        await this.activities.record(card.boardId, userId, 'addAttachment', { cardId: card.id }, { attachmentId: file.id, name: file.name });
      }
    });

  readonly rename = async (userId: string, attachment: Attachment, name: string): Promise<void> =>
    this.sql.transaction(async () => {
      if (name === attachment.name) return;
      await this.sql.run('UPDATE attachments SET name = ?, modified_at = ? WHERE id = ?', name, now(), attachment.id);
      await this.activities.record(attachment.boardId, userId, 'renameAttachment', { cardId: attachment.cardId },
        { attachmentId: attachment.id, oldName: attachment.name, name });
    });

  /** Deletes the row (a cover showing it is cleared); the caller removes the file after. */
  readonly remove = async (userId: string, attachment: Attachment): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run('DELETE FROM attachments WHERE id = ?', attachment.id);
      await this.activities.record(attachment.boardId, userId, 'deleteAttachment', { cardId: attachment.cardId },
        { attachmentId: attachment.id, name: attachment.name });
    });

  /** An attachment by id alone, whatever its card (WeKan's /api/attachment/… routes); the caller checks the board. */
  async anywhere(attachmentId: string): Promise<Attachment | undefined> {
    return await this.sql.one(`SELECT ${COLUMNS} FROM attachments a LEFT JOIN users u ON u.id = a.user_id WHERE a.id = ?`,
      attachmentId) as Attachment | undefined;
  }

  /** A copy of the attachment's row on `card`, for the file the caller has already copied to `copyId`. */
  readonly copyTo = async (userId: string, attachment: Attachment, card: Card, copyId: string): Promise<void> =>
    this.add(userId, card, [{ id: copyId, name: attachment.name, type: attachment.type, size: attachment.size,
      sha256: attachment.sha256, width: attachment.width, height: attachment.height }]);

  /** Moves the attachment to another card (of any board): no longer its old card's cover. */
  readonly moveTo = async (userId: string, attachment: Attachment, card: Card): Promise<void> =>
    this.sql.transaction(async () => {
      if (attachment.cardId === card.id) return;
      await this.sql.run('UPDATE cards SET cover_id = NULL WHERE id = ? AND cover_id = ?', attachment.cardId, attachment.id);
      await this.sql.run('UPDATE attachments SET board_id = ?, card_id = ?, modified_at = ? WHERE id = ?', card.boardId, card.id, now(), attachment.id);
      await this.activities.record(attachment.boardId, userId, 'deleteAttachment', { cardId: attachment.cardId },
        { attachmentId: attachment.id, name: attachment.name });
      await this.activities.record(card.boardId, userId, 'addAttachment', { cardId: card.id }, { attachmentId: attachment.id, name: attachment.name });
    });

  /** Shows the image on the board as the card's cover, or (null) shows none. */
  readonly setCover = async (userId: string, card: Card, attachment: Attachment | null): Promise<void> =>
    this.sql.transaction(async () => {
      if ((attachment?.id ?? null) === card.coverId) return;
      await this.sql.run('UPDATE cards SET cover_id = ?, modified_at = ? WHERE id = ?', attachment?.id ?? null, now(), card.id);
      await this.activities.record(card.boardId, userId, attachment ? 'setCover' : 'removeCover', { cardId: card.id },
        attachment ? { attachmentId: attachment.id, name: attachment.name } : {});
    });
}
