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

  private readonly changedBoards = new Set<string>();
  private readonly boardListeners: ((boardId: string, version: number) => void)[] = [];

  constructor(readonly db: Db, options: StoreOptions = {}) {
    // First, so that every statement the aggregates prepare goes through the writer.
    this.writer = new Writer(db, options.groupCommit ?? true);
    routeWritesThrough(db, this.writer);
    this.sql = new SqliteSql(db, this.writer);
    this.writer.onCommitted(() => this.announceChanges());
    this.writer.onFailed(() => {
      this.changedBoards.clear();
      this.boards.forgetReads();
    });
    this.activities = new Activities(db, (boardId) => this.noteChange(boardId));
    this.apiTokens = new ApiTokens(this.sql);
    this.attachments = new Attachments(db, this.activities);
    this.labels = new Labels(db, this.activities);
    this.boards = new Boards(db, this.activities, this.labels);
    this.boardImport = new BoardImport(db, this.activities);
    this.cards = new Cards(db, this.activities);
    this.cardTransfer = new CardTransfer(db, this.activities);
    this.checklists = new Checklists(db, this.activities);
    this.comments = new Comments(db, this.activities);
    this.customFields = new CustomFields(db, this.activities);
    this.integrations = new Integrations(db);
    this.activities.onRecord((activity) => this.integrations.enqueue(activity));
    this.lists = new Lanes(db, this.activities, 'List');
    this.members = new Members(db, this.activities);
    this.swimlanes = new Lanes(db, this.activities, 'Swimlane');
    this.search = new Search(db);
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
  atomically<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** Calls the listener with a board's committed version after each change to it (live updates). */
  onBoardChanged(listener: (boardId: string, version: number) => void): void {
    this.boardListeners.push(listener);
  }

  // Changes are announced once committed: after the write batch (writer.ts), or, when writes commit one by
  // one, in a microtask (better-sqlite3 transactions are synchronous, so by then it is committed or rolled
  // back). The version is read back from the database, so a rollback is never announced.
  private noteChange(boardId: string): void {
    if (this.changedBoards.size === 0 && !this.writer.pending()) queueMicrotask(() => this.announceChanges());
    this.changedBoards.add(boardId);
  }

  private announceChanges(): void {
    if (!this.db.open) return; // closed right after a write: nobody is listening any more
    const boardIds = [...this.changedBoards];
    this.changedBoards.clear();
    for (const boardId of boardIds) {
      const version = this.db.prepare('SELECT version FROM boards WHERE id = ?').pluck().get(boardId) as number | undefined;
      if (version !== undefined) for (const listener of this.boardListeners) listener(boardId, version);
    }
  }

  /** Commits what is pending, then closes the database. */
  close(): void {
    this.writer.commit();
    this.db.close();
  }
}
