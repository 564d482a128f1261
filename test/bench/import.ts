// npm run bench (fifth part): reading a big WeKan export for an import. The page's reader streams the
// file (stream-json) and writes the attached files' bodies to temp files as they go by; beside it, the
// same file read the simple way (readFileSync + JSON.parse), in the same process. RSS sampled every 20 ms.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AttachmentFiles } from '../../server/files/storage.js';
import { readExportFile } from '../../server/import/wekan-file.js';

const FILES = Number(process.env.BENCH_IMPORT_FILES ?? 20);
const FILE_MB = 8;

async function measured<T>(work: () => Promise<T> | T): Promise<{ seconds: number; rssGrowth: number; result: T }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  return { seconds, rssGrowth: Math.max(peak, process.memoryUsage().rss) - base, result };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-import-'));
  const exportFile = path.join(dataDir, 'export.json');
  const out = fs.openSync(exportFile, 'w');
  const cards = Array.from({ length: 2000 }, (_, i) => ({ _id: `card${i}`, title: `Card ${i}`, listId: 'list1', description: 'Some notes.' }));
  fs.writeSync(out, `{"_format":"wekan-board-1.0.0","title":"Big","lists":[{"_id":"list1","title":"L"}],"cards":${JSON.stringify(cards)},"attachments":[`);
  for (let i = 0; i < FILES; i++) {
    fs.writeSync(out, `${i ? ',' : ''}{"_id":"file${i}","cardId":"card${i}","name":"scan${i}.pdf","type":"application/pdf","file":"`);
    fs.writeSync(out, randomBytes(FILE_MB * 1024 * 1024).toString('base64'));
    fs.writeSync(out, '"}');
  }
  fs.writeSync(out, ']}');
  fs.closeSync(out);
  const size = fs.statSync(exportFile).size;
  const files = new AttachmentFiles(dataDir);

  const streamed = await measured(() => readExportFile(exportFile, { keep: true, files, limit: 2 ** 31 }));
  for (const r of streamed.result.received) fs.rmSync(r.tempPath);
  const whole = await measured(() => (JSON.parse(fs.readFileSync(exportFile, 'utf8')) as { attachments: unknown[] }).attachments.length);

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  console.log(`\nReading a ${mb(size)} MB WeKan export (${FILES} files of ${FILE_MB} MiB, 2,000 cards) for an import (RSS sampled every 20 ms):`);
  console.log('| reader | seconds | RSS growth |');
  console.log('|---|---|---|');
  console.log(`| streamed (stream-json), files decoded to temp files, fsynced | ${streamed.seconds.toFixed(2)} | ${mb(streamed.rssGrowth)} MB |`);
  console.log(`| whole (readFileSync + JSON.parse), files left as base64 text | ${whole.seconds.toFixed(2)} | ${mb(whole.rssGrowth)} MB |`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
