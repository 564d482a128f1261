// Long work in one request (reading a big import file, say) gives the event loop a turn every few
// milliseconds, so that other requests, /healthz among them, are answered while it runs.

/** A function to await between steps of long work: it yields once `everyMs` have passed since the last turn. */
export function pacer(everyMs = 10): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < everyMs) return;
    await nextTurn();
    since = performance.now();
  };
}

/** Lets whatever waits for the event loop (I/O, timers, other requests) run first. */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
