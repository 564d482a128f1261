// Rendered pages (as templates with per-viewer slots) by what makes them differ: board, version, view,
// role and display options. A board nobody changes is rendered once; a wake-up of many waiters renders
// each distinct page once. Least recently used entries go first (WAMI_PAGE_CACHE of them are kept).
import { LRUCache } from 'lru-cache';
import type { PageTemplate } from './render.js';

export class PageCache {
  /** Null when the cache is off (capacity 0): every page is rendered. */
  private readonly entries: LRUCache<string, PageTemplate> | null;
  /** Pages whose rendering waits for the database now, by key. */
  private readonly rendering = new Map<string, Promise<PageTemplate>>();
  hits = 0;
  misses = 0;

  constructor(capacity: number) {
    this.entries = capacity > 0 ? new LRUCache({ max: capacity }) : null;
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  get max(): number {
    return this.entries?.max ?? 0;
  }

  /** The page for the key: cached, being rendered for another request (shared), or rendered now. */
  obtain(key: string, render: () => PageTemplate | Promise<PageTemplate>): PageTemplate | Promise<PageTemplate> {
    const found = this.entries?.get(key) ?? this.rendering.get(key);
    if (found) {
      this.hits++;
      return found;
    }
    this.misses++;
    const made = render();
    if (!(made instanceof Promise)) {
      this.entries?.set(key, made);
      return made;
    }
    // Reading a page's rows may wait for the database: the waiters woken together share one rendering.
    this.rendering.set(key, made);
    return made.then((page) => {
      this.entries?.set(key, page);
      return page;
    }).finally(() => this.rendering.delete(key));
  }
}
