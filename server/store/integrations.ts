// Outgoing webhooks of a board ("integrations", WeKan's word) and the queue of their deliveries. Each
// change to a board queues one delivery per enabled integration inside the change's own transaction
// (Activities.onRecord), so what was acknowledged to the user is also queued to the webhook; the
// sender (server/webhooks/) takes them from here after the commit.
import type { Sql } from './sql.js';
import { lockBoards, type RecordedActivity } from './activities.js';
import { message } from '../i18n/messages.js';
import { MAX } from '../limits.js';
import { OverLimitError } from './refused.js';
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
  /** The activity types it is told of, or ['all'] (WeKan's default). */
  activities: string[];
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
  /** When it became due: `claim` takes it only if no other sender has moved that since. */
  nextAttemptMs: number;
  activityId: string;
  /** The card's title when the change was made (the card may be gone by the time it is sent). */
  cardTitle: string | null;
}

export interface DeliveryState {
  waiting: number;
  failed: number;
  lastError: string | null;
}

const COLUMNS = `id, board_id AS "boardId", user_id AS "userId", title, url, token, enabled, activities,
  created_at AS "createdAt", modified_at AS "modifiedAt"`;

/** An integration row with its activity list read from the JSON text it is kept as. */
function withActivities(row: Omit<Integration, 'activities'> & { activities: string }): Integration {
  let activities: unknown;
  try {
    activities = JSON.parse(row.activities);
  } catch {
    activities = ['all'];
  }
  return { ...row, activities: Array.isArray(activities) ? activities.map(String) : ['all'] };
}

type IntegrationRow = Parameters<typeof withActivities>[0];

export class Integrations {
  /** Set when a change queued deliveries, so that the sender is woken only then (most boards have none). */
  private queued = false;

  constructor(private readonly sql: Sql) {}

  /** Whether deliveries were queued since the last call (the answer resets it). */
  takeQueued(): boolean {
    const queued = this.queued;
    this.queued = false;
    return queued;
  }

  async forBoard(boardId: string): Promise<Integration[]> {
    return (await this.sql.all(`SELECT ${COLUMNS} FROM integrations WHERE board_id = ? ORDER BY created_at, id`, boardId) as IntegrationRow[])
      .map(withActivities);
  }

  async byId(boardId: string, id: string): Promise<Integration | undefined> {
    const row = await this.sql.one(`SELECT ${COLUMNS} FROM integrations WHERE board_id = ? AND id = ?`, boardId, id) as IntegrationRow | undefined;
    return row ? withActivities(row) : undefined;
  }

  /** A new webhook; refused once the board has MAX.webhooksPerBoard (each change is a delivery per webhook). */
  create(userId: string, boardId: string, input: { title: string; url: string; token: string | null }): Promise<Integration> {
    return this.sql.transaction(async () => {
      await lockBoards(this.sql, boardId);
      const count = await this.sql.value<number>('SELECT count(*) FROM integrations WHERE board_id = ?', boardId);
      if (count! >= MAX.webhooksPerBoard) throw new OverLimitError(message('refusals.tooManyWebhooks', { max: MAX.webhooksPerBoard }), 422);
      const id = newId();
      const at = now();
      await this.sql.run(`INSERT INTO integrations (id, board_id, user_id, title, url, token, enabled, created_at, modified_at)
                       VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`, id, boardId, userId, input.title, input.url, input.token, at, at);
      return (await this.byId(boardId, id))!;
    });
  }

  async update(integration: Integration, change: IntegrationChange): Promise<void> {
    await this.sql.run(
      `UPDATE integrations SET title = ?, url = ?, token = ?, enabled = ?, modified_at = ? WHERE id = ?`,
      change.title ?? integration.title, change.url ?? integration.url, change.token === undefined ? integration.token : change.token,
      change.enabled === undefined ? integration.enabled : change.enabled ? 1 : 0, now(), integration.id);
  }

  /** Deletes the integration and whatever of its deliveries still waits. */
  async delete(integration: Integration): Promise<void> {
    await this.sql.run('DELETE FROM integrations WHERE id = ?', integration.id);
  }

  async deliveryState(integrationId: string): Promise<DeliveryState> {
    return await this.sql.one(
      `SELECT count(*) FILTER (WHERE failed_at IS NULL) AS waiting, count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed,
              (SELECT last_error FROM webhook_deliveries WHERE integration_id = ? AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1) AS "lastError"
       FROM webhook_deliveries WHERE integration_id = ?`, integrationId, integrationId) as DeliveryState;
  }

  /** Queues the change for each enabled integration of its board; called inside the change's transaction. */
  /** Sets the activity types the integration is told of (WeKan's $addToSet and $pullAll are worked out by the caller). */
  async setActivities(integration: Integration, activities: string[]): Promise<void> {
    await this.sql.run('UPDATE integrations SET activities = ?, modified_at = ? WHERE id = ?', JSON.stringify(activities), now(), integration.id);
  }

  async enqueue(activity: RecordedActivity): Promise<void> {
    const targets = (await this.sql.all<IntegrationRow>(`SELECT ${COLUMNS} FROM integrations WHERE board_id = ? AND enabled = 1`, activity.boardId))
      .map(withActivities).filter((i) => i.activities.includes('all') || i.activities.includes(activity.activityType)).map((i) => i.id);
    if (targets.length === 0) return;
    const cardTitle = activity.cardId
      ? (await this.sql.value('SELECT title FROM cards WHERE id = ?', activity.cardId) as string | undefined) ?? null : null;
    const payload = JSON.stringify({ activityId: activity.id, cardTitle });
    for (const integrationId of targets) {
      await this.sql.run('INSERT INTO webhook_deliveries (integration_id, payload, next_attempt_ms, created_at) VALUES (?, ?, 0, ?)',
        integrationId, payload, activity.createdAt);
    }
    this.queued = true;
  }

  /**
   * The oldest waiting delivery of each integration, when its time has come: an integration's changes go
   * out in order, and one whose receiver is down holds up only its own queue.
   */
  async due(nowMs: number, limit: number): Promise<DueDelivery[]> {
    const rows = await this.sql.all(`SELECT d.id, d.integration_id AS "integrationId", i.url, i.token, d.attempts,
              d.next_attempt_ms AS "nextAttemptMs", d.payload
       FROM (SELECT integration_id, min(id) AS id FROM webhook_deliveries WHERE failed_at IS NULL GROUP BY integration_id) first
       JOIN webhook_deliveries d ON d.id = first.id JOIN integrations i ON i.id = d.integration_id
       WHERE d.next_attempt_ms <= ? ORDER BY d.id LIMIT ?`, nowMs, limit) as (Omit<DueDelivery, 'activityId' | 'cardTitle'> & { payload: string })[];
    return rows.map(({ payload, ...row }) => ({ ...row, ...(JSON.parse(payload) as { activityId: string; cardTitle: string | null }) }));
  }

  /** When the next waiting delivery is due (ms since the epoch), if any waits. */
  async nextDueMs(): Promise<number | undefined> {
    return (await this.sql.value(
      'SELECT min(next_attempt_ms) FROM webhook_deliveries WHERE failed_at IS NULL') as number | null) ?? undefined;
  }

  /**
   * Takes a due delivery for this sender until `untilMs` (a lease: its next attempt moves there), unless
   * another sender took it first; answers whether this one did. Several instances share the queue: each
   * delivery is sent by one of them, and an integration's next one waits until this one is settled. A
   * sender that dies holding it leaves it to be tried again when the lease ends.
   */
  async claim(delivery: DueDelivery, untilMs: number): Promise<boolean> {
    return await this.sql.run(
      'UPDATE webhook_deliveries SET next_attempt_ms = ? WHERE id = ? AND next_attempt_ms = ? AND failed_at IS NULL',
      untilMs, delivery.id, delivery.nextAttemptMs) === 1;
  }

  /**
   * Makes waiting deliveries due now (at start: whoever restarted the server may have fixed the cause),
   * except those due within `leaseMs`: one of those may be in another instance's hands right now.
   */
  async dueNow(nowMs: number, leaseMs: number): Promise<void> {
    await this.sql.run('UPDATE webhook_deliveries SET next_attempt_ms = 0 WHERE failed_at IS NULL AND next_attempt_ms > ?',
      nowMs + leaseMs);
  }

  async delivered(id: number): Promise<void> {
    await this.sql.run('DELETE FROM webhook_deliveries WHERE id = ?', id);
  }

  /** A try failed: again at `nextMs`, or (null) never, the delivery kept as failed for the board's admins to see. */
  async failedAttempt(id: number, error: string, nextMs: number | null): Promise<void> {
    await this.sql.run(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_ms = coalesce(?, next_attempt_ms),
                     failed_at = ? WHERE id = ?`, error.slice(0, 500), nextMs, nextMs === null ? now() : null, id);
  }
}
