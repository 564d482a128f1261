// Outgoing webhooks of a board ("integrations", WeKan's word) and the queue of their deliveries. Each
// change to a board queues one delivery per enabled integration inside the change's own transaction
// (Activities.onRecord), so what was acknowledged to the user is also queued to the webhook; the
// sender (server/webhooks/) takes them from here after the commit.
import type { Db } from './db.js';
import type { RecordedActivity } from './activities.js';
import { newId } from '../ids.js';
import { now } from './time.js';

export interface Integration {
  id: string;
  boardId: string;
  userId: string | null;
  title: string;
  url: string;
  token: string | null;
  enabled: 0 | 1;
  createdAt: string;
  modifiedAt: string;
}

export interface IntegrationChange {
  title?: string;
  url?: string;
  token?: string | null;
  enabled?: boolean;
}

/** A delivery whose time has come, with where it goes and the change it tells of. */
export interface DueDelivery {
  id: number;
  integrationId: string;
  url: string;
  token: string | null;
  attempts: number;
  activityId: string;
  /** The card's title when the change was made (the card may be gone by the time it is sent). */
  cardTitle: string | null;
}

export interface DeliveryState {
  waiting: number;
  failed: number;
  lastError: string | null;
}

const COLUMNS = `id, board_id AS boardId, user_id AS userId, title, url, token, enabled, created_at AS createdAt, modified_at AS modifiedAt`;

export class Integrations {
  /** Set when a change queued deliveries, so that the sender is woken only then (most boards have none). */
  private queued = false;

  constructor(private readonly db: Db) {}

  /** Whether deliveries were queued since the last call (the answer resets it). */
  takeQueued(): boolean {
    const queued = this.queued;
    this.queued = false;
    return queued;
  }

  forBoard(boardId: string): Integration[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM integrations WHERE board_id = ? ORDER BY created_at, id`).all(boardId) as Integration[];
  }

  byId(boardId: string, id: string): Integration | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM integrations WHERE board_id = ? AND id = ?`).get(boardId, id) as Integration | undefined;
  }

  create(userId: string, boardId: string, input: { title: string; url: string; token: string | null }): Integration {
    const id = newId();
    const at = now();
    this.db.prepare(`INSERT INTO integrations (id, board_id, user_id, title, url, token, enabled, created_at, modified_at)
                     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`).run(id, boardId, userId, input.title, input.url, input.token, at, at);
    return this.byId(boardId, id)!;
  }

  update(integration: Integration, change: IntegrationChange): void {
    this.db.prepare(`UPDATE integrations SET title = ?, url = ?, token = ?, enabled = ?, modified_at = ? WHERE id = ?`).run(
      change.title ?? integration.title, change.url ?? integration.url, change.token === undefined ? integration.token : change.token,
      change.enabled === undefined ? integration.enabled : change.enabled ? 1 : 0, now(), integration.id);
  }

  /** Deletes the integration and whatever of its deliveries still waits. */
  delete(integration: Integration): void {
    this.db.prepare('DELETE FROM integrations WHERE id = ?').run(integration.id);
  }

  deliveryState(integrationId: string): DeliveryState {
    return this.db.prepare(
      `SELECT count(*) FILTER (WHERE failed_at IS NULL) AS waiting, count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed,
              (SELECT last_error FROM webhook_deliveries WHERE integration_id = ? AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1) AS lastError
       FROM webhook_deliveries WHERE integration_id = ?`,
    ).get(integrationId, integrationId) as DeliveryState;
  }

  /** Queues the change for each enabled integration of its board; called inside the change's transaction. */
  enqueue(activity: RecordedActivity): void {
    const targets = this.db.prepare('SELECT id FROM integrations WHERE board_id = ? AND enabled = 1').pluck().all(activity.boardId) as string[];
    if (targets.length === 0) return;
    const cardTitle = activity.cardId
      ? (this.db.prepare('SELECT title FROM cards WHERE id = ?').pluck().get(activity.cardId) as string | undefined) ?? null : null;
    const payload = JSON.stringify({ activityId: activity.id, cardTitle });
    const insert = this.db.prepare(`INSERT INTO webhook_deliveries (integration_id, payload, next_attempt_ms, created_at) VALUES (?, ?, 0, ?)`);
    for (const integrationId of targets) insert.run(integrationId, payload, activity.createdAt);
    this.queued = true;
  }

  /**
   * The oldest waiting delivery of each integration, when its time has come: an integration's changes go
   * out in order, and one whose receiver is down holds up only its own queue.
   */
  due(nowMs: number, limit: number): DueDelivery[] {
    const rows = this.db.prepare(
      `SELECT d.id, d.integration_id AS integrationId, i.url, i.token, d.attempts, d.payload
       FROM (SELECT integration_id, min(id) AS id FROM webhook_deliveries WHERE failed_at IS NULL GROUP BY integration_id) first
       JOIN webhook_deliveries d ON d.id = first.id JOIN integrations i ON i.id = d.integration_id
       WHERE d.next_attempt_ms <= ? ORDER BY d.id LIMIT ?`,
    ).all(nowMs, limit) as (Omit<DueDelivery, 'activityId' | 'cardTitle'> & { payload: string })[];
    return rows.map(({ payload, ...row }) => ({ ...row, ...(JSON.parse(payload) as { activityId: string; cardTitle: string | null }) }));
  }

  /** When the next waiting delivery is due (ms since the epoch), if any waits. */
  nextDueMs(): number | undefined {
    return (this.db.prepare('SELECT min(next_attempt_ms) FROM webhook_deliveries WHERE failed_at IS NULL').pluck().get() as number | null) ?? undefined;
  }

  /** Makes every waiting delivery due now (at start: whoever restarted the server may have fixed the cause). */
  dueNow(): void {
    this.db.prepare('UPDATE webhook_deliveries SET next_attempt_ms = 0 WHERE failed_at IS NULL AND next_attempt_ms > 0').run();
  }

  delivered(id: number): void {
    this.db.prepare('DELETE FROM webhook_deliveries WHERE id = ?').run(id);
  }

  /** A try failed: again at `nextMs`, or (null) never, the delivery kept as failed for the board's admins to see. */
  failedAttempt(id: number, error: string, nextMs: number | null): void {
    this.db.prepare(`UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_ms = coalesce(?, next_attempt_ms),
                     failed_at = CASE WHEN ? IS NULL THEN ? END WHERE id = ?`).run(error.slice(0, 500), nextMs, nextMs, now(), id);
  }
}
