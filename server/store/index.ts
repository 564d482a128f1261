// The store: the only code that speaks SQL. One object per aggregate, all on one connection.
import path from 'node:path';
import { openDatabase, type Db } from './db.js';
import { Activities } from './activities.js';
import { ApiTokens } from './api-tokens.js';
import { Attachments } from './attachments.js';
import { BoardImport } from './board-import.js';
import { SqliteBoardSnapshot, type BoardSnapshot } from './board-export.js';
import { Boards } from './boards.js';
import { BoardBackgrounds } from './board-backgrounds.js';
import { Cards } from './cards.js';
import { CardTransfer } from './card-transfer.js';
import { Dependencies } from './dependencies.js';
import { Checklists } from './checklists.js';
import { Comments } from './comments.js';
import { CustomFields } from './custom-fields.js';
import { Integrations } from './integrations.js';
import { Outbox } from './outbox.js';
import { BoardInvitations } from './board-invitations.js';
import { Watchers } from './watchers.js';
import { DueReminders } from './due-reminders.js';
import { HeldMail } from './held-mail.js';
import { Labels } from './labels.js';
import { Lanes } from './lanes.js';
import { LaneTransfer } from './lane-transfer.js';
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

/**
 * The store on any engine: one object per aggregate over the same SQL calls (sql.ts), the board-change
 * listeners, and what a request needs to know about commits. SqliteStore and PostgresStore (pg-store.ts)
 * add their engine's own parts.
 */
export abstract class Store {
  readonly activities: Activities;
  readonly apiTokens: ApiTokens;
  readonly attachments: Attachments;
  readonly boards: Boards;
  readonly boardBackgrounds: BoardBackgrounds;
  readonly boardImport: BoardImport;
  readonly cards: Cards;
  readonly cardTransfer: CardTransfer;
  readonly dependencies: Dependencies;
  readonly checklists: Checklists;
  readonly comments: Comments;
  readonly customFields: CustomFields;
  readonly integrations: Integrations;
  readonly outbox: Outbox;
  readonly boardInvitations: BoardInvitations;
  readonly watchers: Watchers;
  readonly dueReminders: DueReminders;
  readonly heldMail: HeldMail;
  readonly labels: Labels;
  readonly lists: Lanes;
  readonly laneTransfer: LaneTransfer;
  readonly members: Members;
  readonly swimlanes: Lanes;
  readonly search: Search;
  readonly sessions: Sessions;
  readonly signInFailures: SignInFailures;
  readonly settings: Settings;
  readonly tokens: OneTimeTokens;
  readonly users: Users;
  /** Gathers the writes of a burst of requests into one commit (SQLite's writer.ts); null where the engine does it. */
  abstract readonly writer: Writer | null;

  private readonly boardListeners: ((boardId: string, version: number) => void)[] = [];

  constructor(readonly sql: Sql) {
    this.activities = new Activities(this.sql, (boardId) => this.noteChange(boardId));
    this.apiTokens = new ApiTokens(this.sql);
    this.attachments = new Attachments(this.sql, this.activities);
    this.labels = new Labels(this.sql, this.activities);
    this.boards = new Boards(this.sql, this.activities, this.labels);
    this.boardBackgrounds = new BoardBackgrounds(this.sql, this.activities);
    this.boardImport = new BoardImport(this.sql, this.activities);
    this.cards = new Cards(this.sql, this.activities);
    this.dependencies = new Dependencies(this.sql, this.activities);
    this.cardTransfer = new CardTransfer(this.sql, this.activities, this.dependencies);
    this.checklists = new Checklists(this.sql, this.activities);
    this.comments = new Comments(this.sql, this.activities);
    this.customFields = new CustomFields(this.sql, this.activities);
    this.integrations = new Integrations(this.sql);
    this.outbox = new Outbox(this.sql);
    this.boardInvitations = new BoardInvitations(this.sql);
    this.watchers = new Watchers(this.sql);
    this.dueReminders = new DueReminders(this.sql);
    this.heldMail = new HeldMail(this.sql);
    this.activities.onRecord((activity) => this.integrations.enqueue(activity));
    this.lists = new Lanes(this.sql, this.activities, 'List');
    this.members = new Members(this.sql, this.activities);
    this.swimlanes = new Lanes(this.sql, this.activities, 'Swimlane');
    this.laneTransfer = new LaneTransfer(this.sql, this.activities, this.cards, this.cardTransfer, this.labels, this.lists, this.swimlanes, this.dependencies);
    this.search = new Search(this.sql);
    this.sessions = new Sessions(this.sql);
    this.signInFailures = new SignInFailures(this.sql);
    this.settings = new Settings(this.sql);
    this.tokens = new OneTimeTokens(this.sql);
    this.users = new Users(this.sql);
  }

  /** Opens (creating and migrating as needed) wami.db in the data folder. */
  static open(dataDir: string, options: StoreOptions = {}): SqliteStore {
    return new SqliteStore(openDatabase(path.join(dataDir, 'wami.db')), options);
  }

  /** True when the database answers a query (the health check). */
  async answers(): Promise<boolean> {
    return await this.sql.value('SELECT 1') === 1;
  }

  /** Runs several store calls as one transaction (each call's own becomes a savepoint): all or nothing. */
  atomically<T>(work: () => Promise<T>): Promise<T> {
    return this.sql.transaction(work);
  }

  /** Calls the listener with a board's committed version after each change to it (live updates). */
  onBoardChanged(listener: (boardId: string, version: number) => void): void {
    this.boardListeners.push(listener);
  }

  /** Commits what is pending (SQLite's batch), then lets the database go. */
  abstract close(): Promise<void>;

  /** The engine and its version, and the schema number, for the admin's /information page. */
  abstract describe(): Promise<{ engine: string; schema: number }>;

  /** A consistent read of one board for its export (board-export.ts) or copy, on a connection of its own. */
  abstract boardSnapshot(boardId: string): BoardSnapshot;

  /** False once closed: a change committed right before is not announced any more. */
  protected abstract get open(): boolean;

  // A change is announced once committed (sql.afterCommit): after the write batch, or the transaction
  // when writes commit one by one; never when undone. The version is read back from the database: the one
  // the board has when its change is announced.
  private noteChange(boardId: string): void {
    this.sql.afterCommit(`board:${boardId}`, () => void this.announce(boardId));
  }

  private async announce(boardId: string): Promise<void> {
    if (!this.open) return; // closed right after a write: nobody is listening any more
    const version = await this.sql.value<number>('SELECT version FROM boards WHERE id = ?', boardId);
    if (version !== undefined) for (const listener of this.boardListeners) listener(boardId, version);
  }
}

/** The store on one SQLite file (wami.db): group commit, backups, integrity checks. */
export class SqliteStore extends Store {
  readonly writer: Writer;

  constructor(readonly db: Db, options: StoreOptions = {}) {
    // The writer first, so that every statement the aggregates run goes through it.
    const writer = new Writer(db, options.groupCommit ?? true);
    routeWritesThrough(db, writer);
    super(new SqliteSql(db, writer));
    this.writer = writer;
    this.writer.onFailed(() => this.boards.forgetReads());
  }

  protected get open(): boolean {
    return this.db.open;
  }

  async describe(): Promise<{ engine: string; schema: number }> {
    return { engine: `SQLite ${this.db.prepare('SELECT sqlite_version()').pluck().get() as string}`, schema: this.schemaVersion() };
  }

  boardSnapshot(boardId: string): BoardSnapshot {
    return new SqliteBoardSnapshot(this.db.name, boardId);
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

  /** Commits what is pending, then closes the database. */
  async close(): Promise<void> {
    this.closeNow();
  }

  /** The same, at once (a CLI command's end, a test's teardown). */
  closeNow(): void {
    this.writer.commit();
    this.db.close();
  }
}
