// Reading a CSV (or tab-separated) file of cards into an import plan, as WeKan's CSV import does: one
// card a line, headers in any case and order - title, description, stage|status|state (the list),
// swimlane, owner, members, colour, labels ("name-colour" separated by spaces), due date, start date,
// finish date, created at ("modified at" is the import's time, as for every change). Lists are made in
// the order their names first appear. Dates: dates.ts readDateText, in the importer's time zone.
// Every line with something wrong is reported by its line number, and then nothing is imported.
import { message, type Localized } from '../i18n/messages.js';
import { CsvError, parse } from 'csv-parse';
import { isCardColor } from '../colors.js';
import { readDateText } from '../dates.js';
import { newLabelId } from '../ids.js';
import { MAX } from '../limits.js';
import { nextTurn, pacer } from '../pace.js';
import { checkedPlan, lane, type PlannedCard, type PlannedLane, type PlanReading } from './plan.js';

type Column = 'title' | 'description' | 'list' | 'swimlane' | 'owner' | 'members' | 'color' | 'labels' | 'dueAt' | 'startAt' | 'endAt' | 'createdAt';

const HEADERS: Record<string, Column> = {
  title: 'title', name: 'title', description: 'description', desc: 'description',
  stage: 'list', status: 'list', state: 'list', list: 'list', swimlane: 'swimlane',
  owner: 'owner', members: 'members', labels: 'labels', color: 'color', colour: 'color',
  'due date': 'dueAt', due: 'dueAt', 'due at': 'dueAt', 'start date': 'startAt', 'start at': 'startAt',
  'finish date': 'endAt', 'end date': 'endAt', 'end at': 'endAt',
  'created at': 'createdAt', 'created': 'createdAt',
};

const DATE_NAMES: Record<'dueAt' | 'startAt' | 'endAt' | 'createdAt', string> = {
  dueAt: 'due date', startAt: 'start date', endAt: 'finish date', createdAt: 'created at',
};

/** The separator the header line uses: a tab, else whichever of ";" and "," it has more of. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  if (header.includes('\t')) return '\t';
  return (header.split(';').length > header.split(',').length) ? ';' : ',';
}

/** "bug-red urgent-orange" -> labels; a word without a known colour is a name with the first colour. */
function labelsOf(cell: string): { name: string; color: string }[] {
  return cell.split(/\s+/).filter(Boolean).map((word) => {
    const at = word.lastIndexOf('-');
    const color = at > 0 ? word.slice(at + 1).toLowerCase() : '';
    return isCardColor(color) ? { name: word.slice(0, at), color } : { name: word, color: 'green' };
  });
}

type Row = { record: string[]; info: { lines: number } };

/** A piece of the text the parser is given at a time, with a turn for other requests after each. */
const SLICE = 64 * 1024;

/**
 * The records of the text, parsed slice by slice so that a big file does not hold up other requests (a
 * megabyte takes csv-parse about 100 ms); no further than one card past the limit, which is enough to
 * refuse it: the rest is never parsed.
 */
async function parsedRows(text: string): Promise<Row[]> {
  const parser = parse({ bom: true, delimiter: delimiterOf(text), relax_column_count: true, skip_empty_lines: true, info: true,
    to: MAX.cardsPerImport + 2 });
  const rows: Row[] = [];
  let failure: unknown = null;
  parser.on('readable', () => {
    for (let row = parser.read() as Row | null; row !== null; row = parser.read() as Row | null) rows.push(row);
  });
  parser.on('error', (error) => { failure ??= error; });
  const ended = new Promise<void>((resolve) => { parser.once('end', resolve); parser.once('error', () => resolve()); });
  // the parser ends its input itself once it has the records it was told to stop at
  for (let at = 0; at < text.length && !parser.writableEnded && !failure; at += SLICE) {
    parser.write(text.slice(at, at + SLICE));
    await nextTurn();
  }
  if (!parser.writableEnded && !failure) parser.end();
  if (!failure) await ended;
  if (failure) throw failure;
  return rows;
}

export async function readCsv(text: string, options: { title: string; timeZone: string }): Promise<PlanReading> {
  let rows: Row[];
  try {
    rows = await parsedRows(text);
  } catch (error) {
    // csv-parse's own words for what is wrong with the line stay English
    if (error instanceof CsvError) {
      return { plan: null, problems: [message('importProblems.csvLine', { line: (error as CsvError & { lines?: number }).lines ?? '?', detail: error.message.replace(/^Invalid [^:]*: /, '') })] };
    }
    throw error;
  }
  const [header, ...lines] = rows;
  if (!header) return { plan: null, problems: [message('importProblems.empty')] };
  const columns = header.record.map((h) => HEADERS[h.trim().toLowerCase()]);
  if (!columns.includes('title')) {
    return { plan: null, problems: [message('importProblems.noTitleColumn', { columns: header.record.join(', ') })] };
  }
  const problems: Localized[] = [];
  const notes: Localized[] = [];
  const unused = header.record.filter((_h, i) => !columns[i]);
  if (unused.length) notes.push(message('importProblems.unusedColumns', { columns: unused.join(', ') }));

  const lists = new Map<string, PlannedLane>();
  const swimlanes = new Map<string, PlannedLane>();
  const labels = new Map<string, { id: string; name: string; color: string }>();
  const users = new Map<string, string>();
  const person = (username: string) => {
    users.set(username, username);
    return username;
  };
  const laneNamed = (lanes: Map<string, PlannedLane>, name: string) => {
    if (!lanes.has(name)) lanes.set(name, lane(`${lanes.size}`, name, lanes.size));
    return lanes.get(name)!.id;
  };
  const cards: PlannedCard[] = [];
  const pace = pacer();
  for (const { record, info } of lines) {
    await pace();
    const cell = (column: Column) => record[columns.indexOf(column)]?.trim() ?? '';
    const title = cell('title');
    if (!title) {
      problems.push(message('importProblems.noTitle', { line: info.lines }));
      continue;
    }
    const dates = { dueAt: null, startAt: null, endAt: null, createdAt: null } as Record<keyof typeof DATE_NAMES, string | null>;
    for (const column of Object.keys(DATE_NAMES) as (keyof typeof DATE_NAMES)[]) {
      const read = readDateText(cell(column), options.timeZone, column === 'dueAt' ? '23:59' : '00:00');
      if (read.ok) dates[column] = read.value;
      else problems.push(message('importProblems.notADate', { line: info.lines, column: DATE_NAMES[column], typed: cell(column) }));
    }
    const cardLabels = labelsOf(cell('labels')).map((l) => {
      const key = `${l.name}\n${l.color}`;
      if (!labels.has(key)) labels.set(key, { id: newLabelId(), ...l });
      return labels.get(key)!.id;
    });
    const owner = cell('owner');
    cards.push({
      id: `line-${info.lines}`, listId: laneNamed(lists, cell('list') || 'Imported'), swimlaneId: laneNamed(swimlanes, cell('swimlane') || 'Default'),
      title, description: cell('description'), sort: cards.length, color: isCardColor(cell('color').toLowerCase()) ? cell('color').toLowerCase() : null, archived: false,
      authorId: owner ? person(owner) : null,
      members: cell('members').split(/[\s,]+/).filter(Boolean).map(person), assignees: owner ? [owner] : [], labelIds: cardLabels,
      receivedAt: null, startAt: dates.startAt, dueAt: dates.dueAt, endAt: dates.endAt, spentTime: null, coverId: null, createdAt: dates.createdAt, customFields: [],
      isOvertime: false, requestedBy: '', assignedBy: '', parentId: null, dueComplete: false, dependencies: [], stickers: '[]', locations: '[]',
    });
  }
  if (cards.length === 0 && problems.length === 0) problems.push(message('importProblems.noCards'));
  return checkedPlan({
    board: { title: options.title.trim() || 'Imported board', description: '', color: 'belize', permission: 'private', cardSettings: '{}' },
    labels: [...labels.values()], users,
    members: [...users.keys()].map((userId) => ({ userId, role: 'normal' as const, active: true })),
    swimlanes: [...swimlanes.values()], lists: [...lists.values()], cards,
    checklists: [], items: [], comments: [], attachments: [], customFields: [], notes,
  }, problems);
}
