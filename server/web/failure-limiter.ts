// Counts failed sign-ins per key (address, account) in a sliding window. Only failures count, so
// scripts that log in afresh for every command (WeKan's CLI does) are never slowed down.
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the key may try again; 0 when it may now. */
  retryAfter(key: string, at = Date.now()): number {
    const recent = this.recent(key, at);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - at) / 1000));
  }

  fail(key: string, at = Date.now()): void {
    this.failures.set(key, [...this.recent(key, at), at]);
    if (this.failures.size > 10_000) this.prune(at);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, at: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > at - this.windowMs);
  }

  private prune(at: number): void {
    for (const key of this.failures.keys()) {
      if (this.recent(key, at).length === 0) this.failures.delete(key);
    }
  }
}
