// How much one request, one card or one board may hold wherever a loop runs over what a client sends.
// Each limit is far above what people make by hand (and above the largest WeKan boards seen), and low
// enough that the heaviest request within it keeps the server answering others
// (test/bench/limits.ts builds that request for each limit and measures it).
import { message } from './i18n/messages.js';
import { OverLimitError } from './store/refused.js';

export const MAX = {
  /** Outgoing webhooks of one board: each change is one delivery per webhook. */
  webhooksPerBoard: 20,
  /** Items of one checklist (Trello allows 200). */
  itemsPerChecklist: 1000,
  /** Checklists of one card. */
  checklistsPerCard: 50,
  /** Lists of one board, archived ones included: the board page is a table of lists × swimlanes. */
  listsPerBoard: 100,
  /** Swimlanes of one board, archived ones included (see listsPerBoard). */
  swimlanesPerBoard: 50,
  /** Labels of one board. */
  labelsPerBoard: 200,
  /** Custom fields of one board. */
  customFieldsPerBoard: 50,
  /** Active members of one board: every card page offers each of them as member and assignee. */
  membersPerBoard: 1000,
  /** Cards one import makes (a WeKan, Trello or CSV file). */
  cardsPerImport: 20_000,
  /** Comments one import makes. */
  commentsPerImport: 100_000,
  /** People of one export matched to accounts (each a look-up, and a select on the preview). */
  peoplePerImport: 1000,
  /** Values one form or JSON field carries (ticked cards, people, labels, a checklist's items): each is looked up or stored. */
  valuesPerField: 1000,
  /** Dependency lines drawn from one card (each shows on two card pages). */
  dependenciesPerCard: 100,
  /** E-mail domains one board is shared with. */
  domainsPerBoard: 50,
  /** Cards one bulk API call makes, deletes or labels (WeKan 11's own limit). */
  cardsPerBulkCall: 500,
  /** Choices of one dropdown custom field. */
  choicesPerField: 200,
} as const;

/** The values of one field, refused whole (413) when there are more than a field may carry. */
export function fieldValues(values: string[]): string[] {
  if (values.length > MAX.valuesPerField) throw new OverLimitError(message('refusals.tooManyValues', { max: MAX.valuesPerField }), 413);
  return values;
}
