// Moving a live WeKan to Wami through WeKan's own REST API (`npm run wami -- migrate-from-wekan URL USER`):
// sign in as USER, list the boards USER belongs to, fetch each board's export (files included) into the
// temp folder and import it as the board page would, with its people matched to accounts by username.
// People Wami has no account for get one without a password (WeKan does not hand out password hashes):
// they choose one through "Forgot password" or an admin's reset link. What came over is written to a
// state file after each board, so a second run goes on where the first stopped and makes nothing twice.
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inWords, translator } from './i18n/messages.js';
import { readImportFile } from './import/sources.js';
import { discardReceived, runImport, type ImportContext } from './import/run.js';
import type { ImportPlan } from './import/plan.js';
import { UNUSABLE_HASH } from './passwords.js';
import { EmailTakenError, type User } from './store/users.js';
import { checkUsername } from './validation.js';

/** The most boards one run takes (each is one export fetched and imported). */
export const MAX_BOARDS_PER_RUN = 10_000;

/** The source cannot be read as a WeKan (exit 2: nothing was made). */
export class WekanUnreachable extends Error {}

export interface MigratedBoard {
  title: string;
  wekanId: string;
  wamiId: string | null;
  /** Counts of what came over, or why the board did not. */
  lists?: number;
  cards?: number;
  attachments?: number;
  members?: number;
  failure?: string;
  /** Already migrated by an earlier run. */
  earlier?: boolean;
}

export interface MigrationSummary {
  boards: MigratedBoard[];
  /** Usernames of the accounts made for people Wami did not know. */
  accountsMade: string[];
}

interface Source {
  base: URL;
  token: string;
  userId: string;
}

/** The state file: per WeKan (its origin), the Wami board made from each WeKan board. */
type State = Record<string, Record<string, string>>;

function stateFile(context: ImportContext): string {
  return path.join(context.wamiConfig.dataDir, 'migrate-from-wekan.json');
}

function readState(context: ImportContext): State {
  try {
    return JSON.parse(fs.readFileSync(stateFile(context), 'utf8')) as State;
  } catch {
    return {};
  }
}

/** Written whole to a temp name and renamed: a crash leaves the old state or the new, never half of one. */
function writeState(context: ImportContext, state: State): void {
  const file = stateFile(context);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

async function call(source: Source | { base: URL; token?: undefined }, method: string, route: string, body?: object): Promise<Response> {
  const response = await fetch(new URL(route, source.base), {
    method,
    headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}),
      ...(source.token ? { authorization: `Bearer ${source.token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  }).catch((error: Error) => {
    throw new WekanUnreachable(`${new URL(route, source.base).href}: ${error.message}`);
  });
  return response;
}

async function json<T>(source: Source, route: string): Promise<T> {
  const response = await call(source, 'GET', route);
  if (!response.ok) throw new Error(`GET ${route}: HTTP ${response.status}`);
  return await response.json() as T;
}

async function signIn(url: string, username: string, password: string): Promise<Source> {
  let base: URL;
  try {
    base = new URL(url.endsWith('/') ? url : `${url}/`);
  } catch {
    throw new WekanUnreachable(`not an address: ${url}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new WekanUnreachable(`not an http(s) address: ${url}`);
  const response = await call({ base }, 'POST', 'users/login', { username, password });
  const answer = await response.json().catch(() => ({})) as { token?: string; id?: string };
  if (!response.ok || !answer.token || !answer.id) throw new WekanUnreachable(`signing in as ${username} failed (HTTP ${response.status})`);
  return { base, token: answer.token, userId: answer.id };
}

/** The board's export streamed into a temp file, within the import limit. */
async function fetchExport(context: ImportContext, source: Source, boardId: string): Promise<string> {
  const response = await fetch(new URL(`api/boards/${encodeURIComponent(boardId)}/export`, source.base), {
    headers: { authorization: `Bearer ${source.token}` }, signal: AbortSignal.timeout(30 * 60_000),
  });
  if (!response.ok || !response.body) throw new Error(`its export answered HTTP ${response.status}`);
  const file = path.join(context.wamiConfig.dataDir, 'tmp', `wekan-export-${process.pid}-${Date.now()}.json`);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const limit = context.wamiConfig.maxImportBytes;
  let size = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > limit ? new Error(`its export is larger than WAMI_MAX_IMPORT_BYTES (${limit} bytes)`) : null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as never), counted, fs.createWriteStream(file));
    return file;
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    throw error;
  }
}

/**
 * The local account for a person of the WeKan: the one with their username, else one made for them (with
 * their address from WeKan when the migrating user may read it, as a WeKan admin). Undefined for a
 * username Wami cannot take or a disabled account.
 */
async function accountFor(context: ImportContext, source: Source, wekanId: string, username: string, made: string[]): Promise<string | undefined> {
  const checked = checkUsername(username);
  if (!checked.ok) return undefined;
  let local: User | undefined = await context.store.users.byUsername(checked.value);
  if (!local) {
    const profile = await json<{ emails?: { address?: string }[] }>(source, `api/users/${encodeURIComponent(wekanId)}`).catch(() => null);
    const email = profile?.emails?.[0]?.address?.trim() || null;
    // the address is the WeKan's record of the person, brought over by the operator: proven as an admin's would be
    local = await context.store.users.create({ username: checked.value, email, passwordHash: UNUSABLE_HASH, emailProven: !!email }).catch(async (error: unknown) => {
      if (!(error instanceof EmailTakenError)) throw error;
      return await context.store.users.create({ username: checked.value, email: null, passwordHash: UNUSABLE_HASH });
    });
    made.push(local.username);
  }
  return local.loginDisabled ? undefined : local.id;
}

async function accountsFor(context: ImportContext, source: Source, plan: ImportPlan, made: string[]): Promise<Record<string, string>> {
  const mapping: Record<string, string> = {};
  for (const [wekanId, username] of plan.users) {
    const local = await accountFor(context, source, wekanId, username, made);
    if (local) mapping[wekanId] = local;
  }
  return mapping;
}

/** Migrates every board `username` belongs to on the WeKan at `url`; boards that fail are reported and left for the next run. */
export async function migrateFromWekan(context: ImportContext, url: string, username: string, password: string,
  log: (line: string) => void = () => {}): Promise<MigrationSummary> {
  const source = await signIn(url, username, password);
  const listed = await json<{ _id: string; title: string }[]>(source, `api/users/${encodeURIComponent(source.userId)}/boards`)
    .catch((error: Error) => { throw new WekanUnreachable(`listing the boards of ${username}: ${error.message}`); });
  const boards = listed.filter((b) => b && typeof b._id === 'string').slice(0, MAX_BOARDS_PER_RUN);
  const state = readState(context);
  const done = (state[source.base.origin + source.base.pathname] ??= {});
  const summary: MigrationSummary = { boards: [], accountsMade: [] };
  const made: string[] = [];
  // the migrating user owns what is imported: their account here, made like the others' when there is none
  const owner = await accountFor(context, source, source.userId, username, made);
  if (!owner) throw new WekanUnreachable(`there is no usable account for ${username} here, and none can be made`);
  for (const board of boards) {
    const earlier = done[board._id];
    if (earlier && await context.store.boards.byId(earlier)) {
      summary.boards.push({ title: board.title, wekanId: board._id, wamiId: earlier, earlier: true });
      continue;
    }
    let file: string | null = null;
    let plan: ImportPlan | null = null;
    try {
      log(`${board.title}: fetching its export`);
      file = await fetchExport(context, source, board._id);
      const read = await readImportFile(file, 'wekan', { title: board.title, timeZone: 'UTC' },
        { keep: true, files: context.files, limit: context.wamiConfig.maxFileBytes });
      if (!read.plan) throw new Error(read.problems.slice(0, 5).map((problem) => inWords(problem, translator('en'))).join(' '));
      plan = read.plan;
      const mapping = await accountsFor(context, source, plan, made);
      const { boardId } = await runImport(context, owner, plan, mapping);
      plan = null; // its files are the board's now
      done[board._id] = boardId;
      writeState(context, state);
      const counted = { lists: read.plan.lists.length, cards: read.plan.cards.length, attachments: read.plan.attachments.length,
        members: read.plan.members.filter((m) => m.active).length };
      summary.boards.push({ title: board.title, wekanId: board._id, wamiId: boardId, ...counted });
      log(`${board.title}: ${counted.lists} lists, ${counted.cards} cards, ${counted.attachments} files, ${counted.members} members`);
    } catch (error) {
      if (plan) await discardReceived(context, plan);
      if (error instanceof WekanUnreachable) throw error;
      summary.boards.push({ title: board.title, wekanId: board._id, wamiId: null, failure: (error as Error).message });
      log(`${board.title}: not migrated: ${(error as Error).message}`);
    } finally {
      if (file) await fs.promises.rm(file, { force: true });
    }
  }
  summary.accountsMade = [...new Set(made)];
  return summary;
}
