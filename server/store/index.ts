// The store: the only code that speaks SQL. One object per aggregate, all on one connection.
import path from 'node:path';
import { openDatabase, type Db } from './db.js';
import { Activities } from './activities.js';
import { Boards } from './boards.js';
import { Cards } from './cards.js';
import { CardTransfer } from './card-transfer.js';
import { Checklists } from './checklists.js';
import { Comments } from './comments.js';
import { Labels } from './labels.js';
import { Lanes } from './lanes.js';
import { Members } from './members.js';
import { Search } from './search.js';
import { Sessions } from './sessions.js';
import { Settings } from './settings.js';
import { OneTimeTokens } from './tokens.js';
import { Users } from './users.js';

export class Store {
  readonly activities: Activities;
  readonly boards: Boards;
  readonly cards: Cards;
  readonly cardTransfer: CardTransfer;
  readonly checklists: Checklists;
  readonly comments: Comments;
  readonly labels: Labels;
  readonly lists: Lanes;
  readonly members: Members;
  readonly swimlanes: Lanes;
  readonly search: Search;
  readonly sessions: Sessions;
  readonly settings: Settings;
  readonly tokens: OneTimeTokens;
  readonly users: Users;

  constructor(readonly db: Db) {
    this.activities = new Activities(db);
    this.labels = new Labels(db, this.activities);
    this.boards = new Boards(db, this.activities, this.labels);
    this.cards = new Cards(db, this.activities);
    this.cardTransfer = new CardTransfer(db, this.activities);
    this.checklists = new Checklists(db, this.activities);
    this.comments = new Comments(db, this.activities);
    this.lists = new Lanes(db, this.activities, 'List');
    this.members = new Members(db, this.activities);
    this.swimlanes = new Lanes(db, this.activities, 'Swimlane');
    this.search = new Search(db);
    this.sessions = new Sessions(db);
    this.settings = new Settings(db);
    this.tokens = new OneTimeTokens(db);
    this.users = new Users(db);
  }

  /** Opens (creating and migrating as needed) wami.db in the data folder. */
  static open(dataDir: string): Store {
    return new Store(openDatabase(path.join(dataDir, 'wami.db')));
  }

  close(): void {
    this.db.close();
  }
}
