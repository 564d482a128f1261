// Counts failed sign-ins per key (address, account) in a sliding window. Only failures count, so
// scripts that log in afresh for every command (WeKan's CLI does) are never slowed down. The failures
// are kept in the database (store/sign-in-failures.ts): the limit holds across restarts and, on
// PostgreSQL, across instances; and a flood from many addresses fills no memory.
import type { SignInFailures } from '../store/sign-in-failures.js';

export class FailureLimiter {
  constructor(
    private readonly failures: SignInFailures,
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the key may try again; 0 when it may now. */
  async retryAfter(key: string, at = Date.now()): Promise<number> {
    const { count, oldestMs } = await this.failures.since(key, at - this.windowMs);
    if (count < this.maxFailures || oldestMs === null) return 0;
    return Math.max(1, Math.ceil((oldestMs + this.windowMs - at) / 1000));
  }

  /** Notes one attempt that counts (a failed sign-in, a reset request) for each key. */
  note(keys: string[], at = Date.now()): Promise<void> {
    return this.failures.record(keys, at, at - this.windowMs);
  }

  forget(key: string): Promise<void> {
    return this.failures.forget(key);
  }
}
