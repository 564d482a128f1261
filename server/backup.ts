// Backup and restore of a data folder, for `npm run wami -- backup DIR` and `restore DIR`. A backup is
// a folder: wami.db (SQLite's online backup of the live database, taken while the server serves
// writes), attachments/ (the files its rows name, in the same sharded layout) and backup.json (what it
// holds). Restore puts one onto an empty data folder, and refuses any other.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SqliteStore, Store } from './store/index.js';
import { attachmentPath, copyDurably, syncFolder } from './files/storage.js';

export const MANIFEST = 'backup.json';

export interface BackupManifest {
  format: 'wami-backup';
  createdAt: string;
  schema: number;
  attachments: number;
  attachmentBytes: number;
}

/** The folder cannot take a backup or give a restore (exit 2: nothing was changed). */
export class BackupRefused extends Error {}

/** Entries of a folder that may be present in an "empty" data folder (the repository's keep file). */
const KEEP_FILES = new Set(['.keep', '.gitkeep']);

function entriesOf(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => !KEEP_FILES.has(name)) : [];
}

/**
 * Backs up the live store's database and then the attachment files its copy names. A file deleted
 * between the two (its attachment was deleted meanwhile) is left out, and so is its row.
 */
export async function backup(live: SqliteStore, attachmentsDir: string, target: string): Promise<BackupManifest & { leftOut: number }> {
  if (entriesOf(target).length) throw new BackupRefused(`${target} is not empty: a backup goes into a new or empty folder`);
  fs.mkdirSync(target, { recursive: true });
  await live.backupTo(path.join(target, 'wami.db'));
  const copy = Store.open(target, { groupCommit: false });
  try {
    const gone: string[] = [];
    let attachments = 0;
    let attachmentBytes = 0;
    for await (const file of copy.attachments.everyFile()) {
      try {
        await copyDurably(attachmentPath(attachmentsDir, file.id), attachmentPath(path.join(target, 'attachments'), file.id));
        attachments++;
        attachmentBytes += file.size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        gone.push(file.id);
      }
    }
    await copy.attachments.forgetRows(gone);
    const manifest: BackupManifest = { format: 'wami-backup', createdAt: new Date().toISOString(), schema: copy.schemaVersion(), attachments, attachmentBytes };
    fs.writeFileSync(path.join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { flush: true });
    return { ...manifest, leftOut: gone.length };
  } finally {
    copy.closeNow();
    await syncFolder(target);
  }
}

/** Restores a backup folder onto an empty data folder (and attachments folder): the files, then the database. */
export async function restore(source: string, dataDir: string, attachmentsDir: string): Promise<BackupManifest> {
  const manifestFile = path.join(source, MANIFEST);
  if (!fs.existsSync(manifestFile) || !fs.existsSync(path.join(source, 'wami.db'))) {
    throw new BackupRefused(`${source} is not a Wami backup (no ${MANIFEST} and wami.db)`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BackupManifest;
  if (manifest.format !== 'wami-backup') throw new BackupRefused(`${manifestFile} is not a Wami backup's manifest`);
  for (const [what, folder] of [['data folder', dataDir], ['attachments folder', attachmentsDir]] as const) {
    const present = entriesOf(folder);
    if (present.length) {
      throw new BackupRefused(`the ${what} ${folder} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}): restore goes onto an empty one, so nothing is overwritten`);
    }
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const restoring = path.join(dataDir, 'wami.db.restoring');
  await copyDurably(path.join(source, 'wami.db'), restoring);
  const from = path.join(source, 'attachments');
  if (fs.existsSync(from)) {
    for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      await copyDurably(file, path.join(attachmentsDir, path.relative(from, file)));
    }
  }
  // Last, so that a restore cut short leaves no wami.db that looks whole: a server started then makes a new one.
  await fs.promises.rename(restoring, path.join(dataDir, 'wami.db'));
  await syncFolder(dataDir);
  return manifest;
}

/** What `wami check` found: database findings, attachments whose file is missing or differs, orphan files. */
export interface CheckReport {
  /** SQLite's integrity_check findings (["ok"] when sound); null on PostgreSQL, which checks itself. */
  integrity: string[] | null;
  attachments: number;
  missing: string[];
  damaged: { id: string; reason: string }[];
  orphans: string[];
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), hash);
  return hash.digest('hex');
}

/** Checks the database and every attachment file against its row (size, SHA-256), and lists orphan files. */
export async function checkData(store: Store, root: string): Promise<CheckReport> {
  const integrity = store instanceof SqliteStore ? store.integrityCheck() : null;
  const report: CheckReport = { integrity, attachments: 0, missing: [], damaged: [], orphans: [] };
  const known = new Set<string>();
  for await (const file of store.attachments.everyFile()) {
    report.attachments++;
    const place = attachmentPath(root, file.id);
    known.add(place);
    const stat = fs.statSync(place, { throwIfNoEntry: false });
    if (!stat) report.missing.push(file.id);
    else if (stat.size !== file.size) report.damaged.push({ id: file.id, reason: `${stat.size} bytes, the row says ${file.size}` });
    else if (await sha256Of(place) !== file.sha256) report.damaged.push({ id: file.id, reason: 'its SHA-256 differs from the one recorded at upload' });
  }
  if (fs.existsSync(root)) {
    for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (entry.isFile() && !known.has(file)) report.orphans.push(file);
    }
  }
  return report;
}
