// The store: the only code that speaks SQL. One object per aggregate, all on one connection.
import path from 'node:path';
import { openDatabase, type Db } from './db.js';
import { Activities } from './activities.js';
import { ApiTokens } from './api-tokens.js';
import { Attachments } from './attachments.js';
import { BoardImport } from './board-import.js';
import { Boards } from './boards.js';
import { Cards } from './cards.js';
import { CardTransfer } from './card-transfer.js';
import { Checklists } from './checklists.js';
import { Comments } from './comments.js';
import { CustomFields } from './custom-fields.js';
import { Integrations } from './integrations.js';
import { Labels } from './labels.js';
import { Lanes } from './lanes.js';
import { Members } from './members.js';
import { Search } from './search.js';
import { Sessions } from './sessions.js';
import { SignInFailures } from './sign-in-failures.js';
import { Settings } from './settings.js';
import { OneTimeTokens } from './tokens.js';
import { Users } from './users.js';
import type { Sql } from './sql.js';
import { SqliteSql } from './sqlite-sql.js';
import { routeWritesThrough, Writer } from './writer.js';

export interface StoreOptions {
  /** Gather concurrent writes into one commit (default); false commits each write by itself. */
  groupCommit?: boolean;
}

export class Store {
  readonly activities: Activities;
  readonly apiTokens: ApiTokens;
  readonly attachments: Attachments;
  readonly boards: Boards;
  readonly boardImport: BoardImport;
  readonly cards: Cards;
  readonly cardTransfer: CardTransfer;
  readonly checklists: Checklists;
  readonly comments: Comments;
  readonly customFields: CustomFields;
  readonly integrations: Integrations;
  readonly labels: Labels;
  readonly lists: Lanes;
  readonly members: Members;
  readonly swimlanes: Lanes;
  readonly search: Search;
  readonly sessions: Sessions;
  readonly signInFailures: SignInFailures;
  readonly settings: Settings;
  readonly tokens: OneTimeTokens;
  readonly users: Users;
  /** Gathers the writes of a burst of requests into one commit (writer.ts). */
  readonly writer: Writer;
  /** The asynchronous SQL calls the aggregates are moving to (sql.ts), on this connection and batch. */
  readonly sql: Sql;

  private readonly boardListeners: ((boardId: string, version: number) => void)[] = [];

  constructor(readonly db: Db, options: StoreOptions = {}) {
    // First, so that every statement the aggregates prepare goes through the writer.
    this.writer = new Writer(db, options.groupCommit ?? true);
    routeWritesThrough(db, this.writer);
    this.sql = new SqliteSql(db, this.writer);
    this.writer.onFailed(() => this.boards.forgetReads());
    this.activities = new Activities(this.sql, (boardId) => this.noteChange(boardId));
    this.apiTokens = new ApiTokens(this.sql);
    this.attachments = new Attachments(this.sql, this.activities);
    this.labels = new Labels(this.sql, this.activities);
    this.boards = new Boards(this.sql, this.activities, this.labels);
    this.boardImport = new BoardImport(this.sql, this.activities);
    this.cards = new Cards(this.sql, this.activities);
    this.cardTransfer = new CardTransfer(this.sql, this.activities);
    this.checklists = new Checklists(this.sql, this.activities);
    this.comments = new Comments(this.sql, this.activities);
    this.customFields = new CustomFields(this.sql, this.activities);
    this.integrations = new Integrations(this.sql);
    this.activities.onRecord((activity) => this.integrations.enqueue(activity));
    this.lists = new Lanes(this.sql, this.activities, 'List');
    this.members = new Members(this.sql, this.activities);
    this.swimlanes = new Lanes(this.sql, this.activities, 'Swimlane');
    this.search = new Search(this.sql);
    this.sessions = new Sessions(this.sql);
    this.signInFailures = new SignInFailures(this.sql);
    this.settings = new Settings(this.sql);
    this.tokens = new OneTimeTokens(this.sql);
    this.users = new Users(this.sql);
  }

  /** Opens (creating and migrating as needed) wami.db in the data folder. */
  static open(dataDir: string, options: StoreOptions = {}): Store {
    return new Store(openDatabase(path.join(dataDir, 'wami.db')), options);
  }

  /** SQLite's page cache limit for this connection, in bytes (PRAGMA cache_size: pages, or KiB when negative). */
  pageCacheLimitBytes(): number {
    const size = this.db.pragma('cache_size', { simple: true }) as number;
    return size < 0 ? -size * 1024 : size * (this.db.pragma('page_size', { simple: true }) as number);
  }

  /**
   * Copies the database to `file` with SQLite's online backup API while writes go on (in WAL mode the
   * copy reads a snapshot and blocks no writer). All pages in one step after the first, so a write by
   * another connection restarts the copy at most once: the copy is the database as it was when it ended.
   */
  async backupTo(file: string): Promise<void> {
    this.writer.commit();
    await this.db.backup(file, { progress: () => 1_000_000_000 });
  }

  /** PRAGMA integrity_check's findings: ['ok'] when the file is sound. */
  integrityCheck(): string[] {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
  }

  /** The schema version the database is at (PRAGMA user_version, one per migration). */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** True when the database answers a query (the health check). */
  answers(): boolean {
    return this.db.prepare('SELECT 1').pluck().get() === 1;
  }

  /** Runs several store calls as one transaction (each call's own becomes a savepoint): all or nothing. */
  atomically<T>(work: () => Promise<T>): Promise<T> {
    return this.sql.transaction(work);
  }

  /** Calls the listener with a board's committed version after each change to it (live updates). */
  onBoardChanged(listener: (boardId: string, version: number) => void): void {
    this.boardListeners.push(listener);
  }

  // A change is announced once committed (sql.afterCommit): after the write batch, or the transaction
  // when writes commit one by one; never when undone. The version is read back from the database: the one
  // the board has when its change is announced.
  private noteChange(boardId: string): void {
    this.sql.afterCommit(`board:${boardId}`, () => void this.announce(boardId));
  }

  private async announce(boardId: string): Promise<void> {
    if (!this.db.open) return; // closed right after a write: nobody is listening any more
    const version = await this.sql.value<number>('SELECT version FROM boards WHERE id = ?', boardId);
    if (version !== undefined) for (const listener of this.boardListeners) listener(boardId, version);
  }

  /** Commits what is pending, then closes the database. */
  close(): void {
    this.writer.commit();
    this.db.close();
  }
}
