// Where the project's own files are, whether we run from server/*.ts (tsx) or dist/server/*.js.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
export const viewsDir = path.join(projectRoot, 'views');
export const staticDir = path.join(projectRoot, 'static');
/** Screenshots the browser suite took, shown on /accessibility (copied from test/browsers/screenshots/). */
export const screenshotsDir = path.join(projectRoot, 'docs', 'screenshots');
export const migrationsDir = path.join(projectRoot, 'server', 'store', 'migrations');
/** The message catalogues, one JSON file per language (server/i18n/en.json …). */
export const cataloguesDir = path.join(projectRoot, 'server', 'i18n');
