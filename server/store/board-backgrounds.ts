// A board's background picture (WeKan 11's board background): one image a board, whose file lives in
// the attachments folder under its own id. Setting one answers the id of the picture it replaced, whose
// file the caller removes once this has committed (a row never names a missing file).
import type { Sql } from './sql.js';
import type { Activities } from './activities.js';
import type { NewAttachment } from './attachments.js';
import { now } from './time.js';

export interface BoardBackground {
  id: string;
  boardId: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
  width: number;
  height: number;
  createdAt: string;
}

const COLUMNS = `id, board_id AS "boardId", name, type, size, sha256, width, height, created_at AS "createdAt"`;

export class BoardBackgrounds {
  constructor(
    private readonly sql: Sql,
    private readonly activities: Activities,
  ) {}

  async of(boardId: string): Promise<BoardBackground | undefined> {
    return await this.sql.one(`SELECT ${COLUMNS} FROM board_backgrounds WHERE board_id = ?`, boardId) as BoardBackground | undefined;
  }

  /** Makes the placed image the board's background; answers the id of the one it replaced, if any. */
  readonly set = async (userId: string, boardId: string, image: NewAttachment & { width: number; height: number }): Promise<string | null> =>
    this.sql.transaction(async (): Promise<string | null> => {
      const old = await this.of(boardId);
      await this.sql.run('DELETE FROM board_backgrounds WHERE board_id = ?', boardId);
      await this.sql.run(`INSERT INTO board_backgrounds (board_id, id, user_id, name, type, size, sha256, width, height, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, boardId, image.id, userId, image.name, image.type, image.size, image.sha256,
      image.width, image.height, now());
      await this.activities.record(boardId, userId, 'setBoardBackground', {}, { name: image.name });
      return old?.id ?? null;
    });

  /** Takes the background away; answers its id (for its file), or null when the board had none. */
  readonly remove = async (userId: string, boardId: string): Promise<string | null> =>
    this.sql.transaction(async (): Promise<string | null> => {
      const old = await this.of(boardId);
      if (!old) return null;
      await this.sql.run('DELETE FROM board_backgrounds WHERE board_id = ?', boardId);
      await this.activities.record(boardId, userId, 'removedBoardBackground', {}, { name: old.name });
      return old.id;
    });
}
