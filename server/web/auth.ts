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

/**
 * 10 failures in 15 minutes, then a pause (429 with Retry-After). Failures are counted per address and
 * per account *from that address*, never per account alone: a count per account would let anyone lock
 * its owner out by failing on purpose from addresses of their own. So an attacker slows themselves.
 */
export class Authenticator {
  readonly limiter: FailureLimiter;

  constructor(private readonly store: Store) {
    this.limiter = new FailureLimiter(store.signInFailures, 10, 15 * 60 * 1000);
  }

  async check(login: string, password: string, address: string): Promise<SignInResult> {
    const keys = [`address:${address}`, `login:${login.toLowerCase()}@${address}`];
    const found = await this.limited(keys, async () => {
      const account = login ? await this.store.users.credentials(login) : undefined;
      // Verify against a dummy hash when there is no such account, so timing does not tell.
      const matches = await verifyPassword(password, account?.passwordHash ?? UNUSABLE_HASH);
      return account && matches && !account.user.loginDisabled ? account.user : undefined;
    });
    return found;
  }

  /** The signed-in user's current password, asked before it is changed: limited as sign-ins are. */
  async checkCurrent(user: User, password: string, address: string): Promise<SignInResult> {
    return await this.limited([`address:${address}`, `current:${user.id}@${address}`], async () => {
      const matches = await verifyPassword(password, await this.store.users.passwordHash(user.id) ?? UNUSABLE_HASH);
      return matches ? user : undefined;
    });
  }

  /** Runs `verify` unless a key is paused; a failure counts against every key, a success forgets the last. */
  private async limited(keys: string[], verify: () => Promise<User | undefined>): Promise<SignInResult> {
    const retryAfter = Math.max(...await Promise.all(keys.map((k) => this.limiter.retryAfter(k))));
    if (retryAfter > 0) return { outcome: 'limited', retryAfter };
    const user = await verify();
    if (!user) {
      await this.limiter.note(keys);
      return { outcome: 'wrong' };
    }
    await this.limiter.forget(keys.at(-1)!);
    return { outcome: 'ok', user };
  }
}
