// The change bus: who changed which board to which version. In-process by default; a PostgreSQL
// LISTEN/NOTIFY bus can take its place (Step 9) behind the same two calls.

export type VersionListener = (version: number) => void;

export interface ChangeBus {
  /** A board reached a new version (after the commit that made it). */
  publish(boardId: string, version: number): void;
  /** Calls the listener for every later version of the board; returns the unsubscribe function. */
  subscribe(boardId: string, listener: VersionListener): () => void;
}

export class InProcessBus implements ChangeBus {
  private readonly listeners = new Map<string, Set<VersionListener>>();

  publish(boardId: string, version: number): void {
    for (const listener of this.listeners.get(boardId) ?? []) listener(version);
  }

  subscribe(boardId: string, listener: VersionListener): () => void {
    let set = this.listeners.get(boardId);
    if (!set) {
      set = new Set();
      this.listeners.set(boardId, set);
    }
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (set!.size === 0) this.listeners.delete(boardId);
    };
  }
}
