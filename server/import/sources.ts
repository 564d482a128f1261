// Which reader a file goes to: WeKan or Trello JSON, or CSV. The page and the API may name the source
// (WeKan's /import/:source URLs do); otherwise it is told from the file itself. An uploaded WeKan
// export is streamed (wekan-file.ts): its files' bodies go to temp files, never into memory; Trello
// exports (no file bodies) and CSV files are read whole.
import { parseJsonStream, STREAMED_JSON_FROM, textStream } from '../json-stream.js';
import { escapesSurrogates, withWellFormedStrings } from '../text.js';
import { message, type Localized } from '../i18n/messages.js';
import fs from 'node:fs';
import { TooLargeError } from '../files/storage.js';
import { FILE_MARKER, readExportFile, type FileBodies } from './wekan-file.js';
import { readCsv } from './csv.js';
import type { PlanReading } from './plan.js';
import { looksLikeTrello, readTrelloExport } from './trello.js';
import { readWekanExport } from './wekan.js';

export const IMPORT_SOURCES = ['wekan', 'trello', 'csv'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

export function isImportSource(value: string): value is ImportSource {
  return (IMPORT_SOURCES as readonly string[]).includes(value);
}

export interface ImportOptions {
  /** The board's title where the file has none (a CSV): the file's name, say. */
  title: string;
  /** For dates in a CSV that name no zone: the importer's. */
  timeZone: string;
  /** The uploaded file's name: ".json" says JSON even when the text is broken. */
  fileName?: string;
}

/** JSON files are named so or start with "{" or "[" (after a byte-order mark or blanks); anything else is taken for CSV. */
function looksLikeJson(start: string, fileName = ''): boolean {
  return /\.json$/i.test(fileName) || /^\uFEFF?\s*[{[]/.test(start);
}

function sourceOf(text: string, parsed: unknown, fileName = ''): ImportSource {
  if (!looksLikeJson(text, fileName)) return 'csv';
  return looksLikeTrello(parsed) ? 'trello' : 'wekan';
}

// the JSON parser's own words stay English
const notJson = (error: unknown) => message('importProblems.notJson', { detail: (error as Error).message });

/** The JSON in the text; a big text is parsed as a stream, so that it does not hold up other requests. */
async function parseJson(text: string): Promise<{ ok: true; value: unknown } | { ok: false; problem: Localized }> {
  const json = text.replace(/^\uFEFF/, '');
  try {
    if (json.length > STREAMED_JSON_FROM) return { ok: true, value: await parseJsonStream(textStream(json)) };
    const value = JSON.parse(json) as unknown;
    return { ok: true, value: escapesSurrogates(json) ? withWellFormedStrings(value) : value };
  } catch (error) {
    return { ok: false, problem: notJson(error) };
  }
}

export type SourceReading = PlanReading & { source: ImportSource; /** not JSON at all (400, not 422) */ malformed?: true };

/** Reads an export file's text into a plan; `source` undefined means "tell from the file". */
export async function readImport(text: string, source: ImportSource | undefined, options: ImportOptions): Promise<SourceReading> {
  const json = source === 'csv' ? undefined : await parseJson(text);
  const chosen = source ?? sourceOf(text, json?.ok ? json.value : undefined, options.fileName);
  if (chosen === 'csv') return { ...await readCsv(text, options), source: chosen };
  if (!json?.ok) return { plan: null, problems: [json?.problem ?? message('importProblems.notJsonAtAll')], source: chosen, malformed: true };
  return { ...(chosen === 'trello' ? readTrelloExport(json.value) : await readWekanExport(json.value)), source: chosen };
}

/** An export already parsed (a JSON request body): WeKan's or, when it says so or looks it, Trello's. */
export async function readImportValue(value: unknown, source: ImportSource | undefined): Promise<SourceReading> {
  if (source === 'csv') return { plan: null, problems: [message('importProblems.csvAsString')], source };
  const chosen = source ?? (looksLikeTrello(value) ? 'trello' : 'wekan');
  return { ...(chosen === 'trello' ? readTrelloExport(value) : await readWekanExport(value)), source: chosen };
}

/** Trello and CSV files are read whole, as one string: at most this many bytes. */
export const WHOLE_FILE_LIMIT = 256 * 1024 * 1024;
/** The start of a file looked at to tell its format. */
const PEEK_BYTES = 64 * 1024;

/** A file's format from its name and its first 64 KiB. */
async function sourceOfFile(file: string, fileName = ''): Promise<ImportSource> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const length = Math.min(PEEK_BYTES, (await handle.stat()).size);
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, 0);
    const start = buffer.subarray(0, bytesRead).toString('utf8');
    if (!looksLikeJson(start, fileName)) return 'csv';
    // Trello's exports name these near their start; WeKan's never do. The rest is not read to decide.
    return /"(idOrganization|shortLink)"\s*:/.test(start) && !start.includes('"_format"') ? 'trello' : 'wekan';
  } finally {
    await handle.close();
  }
}

/**
 * Reads an uploaded export file into a plan. With `bodies.keep`, a WeKan export's files are written to
 * temp files on the way (the plan's attachments name them in `received`; whoever does not import the
 * plan discards them); otherwise they are only counted. A file over the size limit and a full disk
 * reject; everything else wrong with the file is a problem in the answer.
 */
export async function readImportFile(file: string, source: ImportSource | undefined, options: ImportOptions, bodies: FileBodies): Promise<SourceReading> {
  const chosen = source ?? await sourceOfFile(file, options.fileName);
  if (chosen !== 'wekan') {
    const { size } = await fs.promises.stat(file);
    if (size > WHOLE_FILE_LIMIT) {
      return { plan: null, problems: [message('importProblems.tooLargeWhole', { mb: WHOLE_FILE_LIMIT / 1024 / 1024 })], source: chosen };
    }
    return await readImport(await fs.promises.readFile(file, 'utf8'), chosen, options);
  }
  let streamed;
  try {
    streamed = await readExportFile(file, bodies);
  } catch (error) {
    if (error instanceof TooLargeError || (error as NodeJS.ErrnoException).code) throw error;
    return { plan: null, problems: [notJson(error)], source: chosen, malformed: true };
  }
  const read = await readWekanExport(streamed.document);
  if (!read.plan) {
    await Promise.all(streamed.received.map((r) => fs.promises.rm(r.tempPath, { force: true })));
    return { ...read, source: chosen };
  }
  for (const attachment of read.plan.attachments) {
    if (!attachment.file?.startsWith(FILE_MARKER)) continue;
    const index = Number(attachment.file.slice(FILE_MARKER.length));
    // counted only (a preview): the marker stays, so the file is known to be there
    if (index >= 0) Object.assign(attachment, { file: null, received: streamed.received[index] });
  }
  return { ...read, source: chosen };
}
