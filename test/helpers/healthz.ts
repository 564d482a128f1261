// Asking /healthz over real HTTP every few milliseconds while other work runs: the slowest answer is how
// long the server could not answer anyone else (Step 12: under 100 ms). Used by the fuzz test and the
// limits benchmark.

export interface HealthWatch {
  /** Stops asking; answers the slowest answer in ms and how many answers came. */
  stop(): Promise<{ worstMs: number; answers: number }>;
}

export function watchHealthz(origin: string, everyMs: number): HealthWatch {
  let worstMs = 0;
  let answers = 0;
  let asking = true;
  const loop = (async () => {
    while (asking) {
      const sent = performance.now();
      await (await fetch(`${origin}/healthz`)).text();
      worstMs = Math.max(worstMs, performance.now() - sent);
      answers++;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      asking = false;
      await loop;
      return { worstMs, answers };
    },
  };
}
