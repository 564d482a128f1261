// The background sender of webhook deliveries. It wakes when a board changes (and when a retry is due),
// takes the oldest waiting delivery of each integration from the store, POSTs it, and removes it once
// the receiver answered 2xx. A failure is tried again later, each wait twice the one before (from
// WAMI_WEBHOOK_RETRY_MS up to an hour), ATTEMPTS tries in all; then the delivery is kept as failed and
// the next one goes. Deliveries are at least once: a crash between the answer and the removal sends
// that one again (X-Wami-Delivery lets a receiver notice). A restart tries what waits at once. Several
// instances share the queue: a sender claims a delivery before sending it (Integrations.claim).
// Requests never wait for any of this.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/index.js';
import type { DueDelivery } from '../store/integrations.js';
import { isPrivateAddress, PrivateAddressError, publicLookup } from './addresses.js';
import { messageOf } from './message.js';
import { nextTryMs, QueueRunner } from '../background/queue-runner.js';

const TIMEOUT_MS = 10_000;
/**
 * How long a sender holds a delivery it took (claim): far more than a try takes (TIMEOUT_MS between any
 * two bytes); if its instance dies, another tries again after it.
 */
const LEASE_MS = 60_000;
/** Integrations served at once (each sends its own changes one at a time, in order). */
const PARALLEL = 8;

export interface SenderOptions {
  baseUrl: string | null;
  retryMs: number;
  allowPrivate: boolean;
  log: FastifyBaseLogger;
}

/** POSTs the JSON; resolves on a 2xx answer, rejects with what went wrong otherwise. */
function post(target: string, token: string | null, body: string, deliveryId: number, allowPrivate: boolean): Promise<void> {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) return Promise.reject(new PrivateAddressError(`${host} is a private address`));
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      timeout: TIMEOUT_MS,
      lookup: allowPrivate ? undefined : publicLookup,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'Wami webhooks',
        'x-wami-delivery': String(deliveryId),
        ...(token ? { 'x-wekan-token': token } : {}),
      },
    }, (response) => {
      response.resume(); // the answer's body is not needed
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(`the receiver answered ${status}`));
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}

export class WebhookSender {
  private readonly runner: QueueRunner<DueDelivery>;

  constructor(private readonly store: Store, private readonly options: SenderOptions) {
    this.runner = new QueueRunner({
      due: (nowMs, limit) => store.integrations.due(nowMs, limit),
      nextDueMs: () => store.integrations.nextDueMs(),
      handle: (delivery) => this.deliver(delivery),
    }, PARALLEL, options.log, 'webhook sender');
  }

  /** At start: what waited through the restart is tried at once, then as usual. */
  async start(): Promise<void> {
    await this.store.integrations.dueNow(Date.now(), LEASE_MS);
    this.kick();
  }

  /** Something may be waiting: send it (at once if idle, else right after the round under way). */
  kick(): void {
    this.runner.kick();
  }

  /** No new rounds; answers when the round under way has finished (its requests time out at worst). */
  stop(): Promise<void> {
    return this.runner.stop();
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    const { integrations } = this.store;
    if (!await integrations.claim(delivery, Date.now() + LEASE_MS)) return; // another instance sends it
    const message = await messageOf(this.store, delivery, this.options.baseUrl);
    if (!message) return await integrations.delivered(delivery.id); // its board is gone
    try {
      await post(delivery.url, delivery.token, JSON.stringify(message), delivery.id, this.options.allowPrivate);
      if (!this.runner.isStopped) await integrations.delivered(delivery.id);
    } catch (error) {
      if (this.runner.isStopped) return; // the store may be closing; the delivery waits for the next start
      const attempt = delivery.attempts + 1;
      const reason = (error as Error).message;
      await integrations.failedAttempt(delivery.id, reason, nextTryMs(attempt, this.options.retryMs));
      this.options.log.warn({ integrationId: delivery.integrationId, attempt, reason }, 'webhook delivery failed');
    }
  }
}
