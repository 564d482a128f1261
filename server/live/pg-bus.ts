// The change bus across instances (Step 9): each instance LISTENs on one PostgreSQL channel and NOTIFYs
// it after each committed change, so a change made through instance A wakes the long polls held by
// instance B. Its own subscribers hear of its own changes at once, in process; notifications that come
// back from itself are ignored. The connection comes back by itself after PostgreSQL restarts or the
// network drops; a change published while it is down reaches the other instances' pages only at their
// long poll's end (WAMI_WAIT_SECONDS), when they reload anyway.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { InProcessBus, type ChangeBus, type VersionListener } from './bus.js';

const CHANNEL = 'wami_board_changes';
/** Waits between reconnection attempts: doubling from 100 ms up to 5 s. */
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5000;

export interface BusLog {
  warn(details: object, message: string): void;
}

export class PostgresBus implements ChangeBus {
  private readonly local = new InProcessBus();
  /** Tells this instance's notifications from the others'. */
  private readonly instance = randomUUID();
  private client: pg.Client | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Notifications waiting for the one in flight: a connection runs one query at a time. */
  private unsent: string[] = [];
  private sending = false;

  constructor(private readonly url: string, private readonly log?: BusLog) {}

  /** Connects and listens; resolves once listening (a first failure rejects: PostgreSQL down at start). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** True while the connection is up and listening. */
  get listening(): boolean {
    return this.client !== null;
  }

  publish(boardId: string, version: number): void {
    this.local.publish(boardId, version);
    if (!this.client) return; // lost while disconnected: see the note at the top
    this.unsent.push(`${this.instance} ${version} ${boardId}`);
    if (!this.sending) void this.send();
  }

  /** Sends the waiting notifications, all in one statement, until none wait. */
  private async send(): Promise<void> {
    this.sending = true;
    while (this.unsent.length && this.client) {
      const payloads = this.unsent;
      this.unsent = [];
      await this.client.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [CHANNEL, payloads])
        .catch((error: unknown) => this.log?.warn({ err: error }, 'could not tell the other instances of a change'));
    }
    this.unsent = [];
    this.sending = false;
  }

  subscribe(boardId: string, listener: VersionListener): () => void {
    return this.local.subscribe(boardId, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => this.heard(message.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {}); // a half-made connection is not left open
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
  }

  private heard(payload: string): void {
    const [instance, version, boardId] = payload.split(' ');
    if (instance === this.instance || !boardId || !Number.isInteger(Number(version))) return;
    this.local.publish(boardId, Number(version));
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    client.end().catch(() => {});
    if (error) this.log?.warn({ err: error }, 'lost the change bus connection; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().catch(() => {
        this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
        this.scheduleReconnect();
      });
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
