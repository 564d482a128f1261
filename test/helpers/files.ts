// What lies in a data folder's file areas: the test's way to say "nothing left behind".
import fs from 'node:fs';
import path from 'node:path';

/** The names of the files below `dir` (none when it does not exist). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

/** The attachment files of a data folder (attachments, board backgrounds). */
export const storedFiles = (dataDir: string): string[] => filesUnder(path.join(dataDir, 'attachments'));

/** The attachment files and the temp folder's files together (an upload refused must leave neither). */
export const storedAndTempFiles = (dataDir: string): string[] => [...storedFiles(dataDir), ...filesUnder(path.join(dataDir, 'tmp'))];
