// Long work inside one transaction (an import, a board copy or deletion) gives the event loop a turn every
// few milliseconds, so that other requests, /healthz among them, are answered while it runs. On SQLite the
// transaction stays open across the turn: the group-commit writer commits only once it has ended
// (writer.ts), so what others write meanwhile is acknowledged after it, and nothing is half-committed.

/** A function to await between steps of long work: it yields once `everyMs` have passed since the last turn. */
export function pacer(everyMs = 10): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < everyMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
