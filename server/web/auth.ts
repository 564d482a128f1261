// Checking a username (or email) and password, for the sign-in form, HTTP Basic auth and later the
// API: one place, one rate limit, the same answer whichever half was wrong.
import type { Store } from '../store/index.js';
import type { User } from '../store/users.js';
import { UNUSABLE_HASH, verifyPassword } from '../passwords.js';
import { FailureLimiter } from './failure-limiter.js';

export type SignInResult =
  | { outcome: 'ok'; user: User }
  | { outcome: 'wrong' }
  | { outcome: 'limited'; retryAfter: number };

export class Authenticator {
  // 10 failures per address or account in 15 minutes, then a pause (429 with Retry-After).
  readonly limiter: FailureLimiter;

  constructor(private readonly store: Store) {
    this.limiter = new FailureLimiter(store.signInFailures, 10, 15 * 60 * 1000);
  }

  async check(login: string, password: string, address: string): Promise<SignInResult> {
    const keys = [`address:${address}`, `login:${login.toLowerCase()}`];
    const retryAfter = Math.max(...await Promise.all(keys.map((k) => this.limiter.retryAfter(k))));
    if (retryAfter > 0) return { outcome: 'limited', retryAfter };
    const found = login ? await this.store.users.credentials(login) : undefined;
    // Verify against a dummy hash when there is no such account, so timing does not tell.
    const matches = await verifyPassword(password, found?.passwordHash ?? UNUSABLE_HASH);
    if (!found || !matches || found.user.loginDisabled) {
      await this.limiter.note(keys);
      return { outcome: 'wrong' };
    }
    await this.limiter.forget(keys[1]!);
    return { outcome: 'ok', user: found.user };
  }
}
