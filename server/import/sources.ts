// Which reader a file goes to: WeKan or Trello JSON, or CSV. The page and the API may name the source
// (WeKan's /import/:source URLs do); otherwise it is told from the file itself.
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
function sourceOf(text: string, parsed: unknown, fileName = ''): ImportSource {
  if (!/\.json$/i.test(fileName) && !/^\uFEFF?\s*[{[]/.test(text)) return 'csv';
  return looksLikeTrello(parsed) ? 'trello' : 'wekan';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (error) {
    return { ok: false, problem: `This file is not valid JSON (${(error as Error).message}).` };
  }
}

export type SourceReading = PlanReading & { source: ImportSource; /** not JSON at all (400, not 422) */ malformed?: true };

/** Reads an export file's text into a plan; `source` undefined means "tell from the file". */
export function readImport(text: string, source: ImportSource | undefined, options: ImportOptions): SourceReading {
  const json = source === 'csv' ? undefined : parseJson(text);
  const chosen = source ?? sourceOf(text, json?.ok ? json.value : undefined, options.fileName);
  if (chosen === 'csv') return { ...readCsv(text, options), source: chosen };
  if (!json?.ok) return { plan: null, problems: [json?.problem ?? 'This file is not JSON.'], source: chosen, malformed: true };
  return { ...(chosen === 'trello' ? readTrelloExport(json.value) : readWekanExport(json.value)), source: chosen };
}

/** An export already parsed (a JSON request body): WeKan's or, when it says so or looks it, Trello's. */
export function readImportValue(value: unknown, source: ImportSource | undefined): SourceReading {
  if (source === 'csv') return { plan: null, problems: ['A CSV import sends the file\'s text as a string.'], source };
  const chosen = source ?? (looksLikeTrello(value) ? 'trello' : 'wekan');
  return { ...(chosen === 'trello' ? readTrelloExport(value) : readWekanExport(value)), source: chosen };
}
