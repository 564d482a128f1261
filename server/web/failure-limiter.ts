// Counts failed sign-ins per key (address, account) in a sliding window. Only failures count, so
// scripts that log in afresh for every command (WeKan's CLI does) are never slowed down. At most
// 100,000 keys are kept, least recently failed first out: a flood from many addresses cannot grow it
// without bound, and the key it targets stays, as every failure refreshes it.
import { LRUCache } from 'lru-cache';

export class FailureLimiter {
  private readonly failures: LRUCache<string, number[]>;

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {
    this.failures = new LRUCache({ max: 100_000, ttl: windowMs });
  }

  /** Keys remembered and the most kept (for /metrics). */
  get size(): number {
    return this.failures.size;
  }

  get max(): number {
    return this.failures.max;
  }

  /** Seconds until the key may try again; 0 when it may now. */
  retryAfter(key: string, at = Date.now()): number {
    const recent = this.recent(key, at);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - at) / 1000));
  }

  fail(key: string, at = Date.now()): void {
    this.failures.set(key, [...this.recent(key, at), at]);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, at: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > at - this.windowMs);
  }
}
