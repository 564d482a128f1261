// Rendered pages (as templates with per-viewer slots) by what makes them differ: board, version, view,
// role and display options. A board nobody changes is rendered once; a wake-up of many waiters renders
// each distinct page once. Least recently used entries go first.
import type { PageTemplate } from './render.js';

export class PageCache {
  private readonly entries = new Map<string, PageTemplate>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  obtain(key: string, render: () => PageTemplate): PageTemplate {
    const found = this.entries.get(key);
    if (found) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    this.misses++;
    const made = render();
    if (this.capacity === 0) return made;
    this.entries.set(key, made);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return made;
  }
}
