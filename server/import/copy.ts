// Copying a board: its own export (read from a snapshot, without file bodies) read back as an import
// plan, whose attachments are copied file by file (reflinks where the file system can). So a copy
// is exactly what an export and an import would make: same lists, cards, labels, members, checklists,
// comments and files, all with new ids; the copier is an admin of the copy.
import { inWords, message, translator, type Translator } from '../i18n/messages.js';
import { forbidden } from '../web/errors.js';
import type { FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import { may } from '../permissions.js';
import { exportJson } from '../web/board-export.js';
import { runImport } from './run.js';
import { LIMITS } from '../validation.js';
import { readWekanExport } from './wekan.js';

/** "Copy of <title>" in the copier's words (English through the API), unless that would be too long for a title. */
export function copyTitle(title: string, words: Translator = translator('en')): string {
  const copy = words.t('boardSettings.copyOf', { title });
  return [...copy].length <= LIMITS.title ? copy : title;
}

/** Copies the board as its copier may see it: a no-comments member's copy has no comments. */
export async function copyBoard(request: FastifyRequest, userId: string, access: BoardAccess, title: string): Promise<string> {
  // the copy would hold every card: not for a member who may see only some (nor a visitor, refused before)
  if (!may(access.role, 'see-all-cards')) throw forbidden(message(`errors.roleAllows.${access.role}`));
  const { files } = request.server;
  const scope = { withFiles: false, withComments: may(access.role, 'see-comments') };
  let text = '';
  for await (const part of exportJson(request.server.store.boardSnapshot(access.board.id), files, scope)) text += part;
  const read = await readWekanExport(JSON.parse(text) as unknown);
  if (!read.plan) throw new Error(`the board ${access.board.id} does not read back: ${read.problems.map((problem) => inWords(problem, translator('en'))).join(' ')}`);
  read.plan.board.title = title;
  for (const attachment of read.plan.attachments) attachment.copyOf = attachment.id;
  // the same people: every user id of the export is a local one
  const mapping = Object.fromEntries([...read.plan.users.keys()].map((id) => [id, id]));
  return (await runImport(request.server, userId, read.plan, mapping)).boardId;
}
