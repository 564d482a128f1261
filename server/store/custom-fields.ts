// A board's custom fields and the cards' values for them. Changes of values are recorded as activities
// (the board refreshes, webhooks hear of them); defining fields is board setup and bumps the version too.
import type { Db } from './db.js';
import type { Activities } from './activities.js';
import type { Card } from './cards.js';
import { cleanSettings, type CustomField, type DropdownItem, type FieldSettings, type FieldType, type FieldValue } from '../custom-fields.js';
import { newId } from '../ids.js';
import { now } from './time.js';

interface FieldRow {
  id: string; boardId: string; name: string; type: FieldType; settings: string; showOnCard: number; automaticallyOnCard: number;
  alwaysOnCard: number; showLabelOnMiniCard: number; showSumAtTopOfList: number; sort: number;
}

const COLUMNS = `id, board_id AS boardId, name, type, settings, show_on_card AS showOnCard, automatically_on_card AS automaticallyOnCard,
  always_on_card AS alwaysOnCard, show_label_on_mini_card AS showLabelOnMiniCard, show_sum_at_top_of_list AS showSumAtTopOfList, sort`;

function fieldOf(row: FieldRow): CustomField {
  return {
    ...row, settings: JSON.parse(row.settings) as FieldSettings, showOnCard: !!row.showOnCard, automaticallyOnCard: !!row.automaticallyOnCard,
    alwaysOnCard: !!row.alwaysOnCard, showLabelOnMiniCard: !!row.showLabelOnMiniCard, showSumAtTopOfList: !!row.showSumAtTopOfList,
  };
}

/** What a field is made with or changed to; flags left out stay as they are (off for a new field). */
export interface FieldDefinition {
  name: string;
  type: FieldType;
  settings: FieldSettings;
  showOnCard?: boolean;
  automaticallyOnCard?: boolean;
  alwaysOnCard?: boolean;
  showLabelOnMiniCard?: boolean;
  showSumAtTopOfList?: boolean;
}

export class CustomFields {
  constructor(
    private readonly db: Db,
    private readonly activities: Activities,
  ) {}

  forBoard(boardId: string): CustomField[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM custom_fields WHERE board_id = ? ORDER BY sort, created_at`).all(boardId) as FieldRow[]).map(fieldOf);
  }

  byId(boardId: string, id: string): CustomField | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM custom_fields WHERE board_id = ? AND id = ?`).get(boardId, id) as FieldRow | undefined;
    return row && fieldOf(row);
  }

  readonly create = (userId: string, boardId: string, definition: FieldDefinition): CustomField =>
    this.db.transaction((): CustomField => {
      const id = newId();
      const at = now();
      const sort = this.db.prepare('SELECT coalesce(max(sort) + 1, 0) FROM custom_fields WHERE board_id = ?').pluck().get(boardId) as number;
      this.db.prepare(`INSERT INTO custom_fields (id, board_id, name, type, settings, show_on_card, automatically_on_card, always_on_card,
                         show_label_on_mini_card, show_sum_at_top_of_list, sort, created_at, modified_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        id, boardId, definition.name, definition.type, JSON.stringify(cleanSettings(definition.type, definition.settings)),
        definition.showOnCard ? 1 : 0, definition.automaticallyOnCard ? 1 : 0, definition.alwaysOnCard ? 1 : 0,
        definition.showLabelOnMiniCard ? 1 : 0, definition.showSumAtTopOfList ? 1 : 0, sort, at, at);
      this.activities.record(boardId, userId, 'createCustomField', {}, { customFieldId: id, name: definition.name, type: definition.type });
      return this.byId(boardId, id)!;
    })();

  /** Changes a field. A new type drops the values cards had (they meant something else). */
  readonly update = (userId: string, field: CustomField, change: Partial<FieldDefinition>): void =>
    this.db.transaction(() => {
      const type = change.type ?? field.type;
      const settings = cleanSettings(type, change.settings ?? field.settings);
      const flag = (value: boolean | undefined, old: boolean) => ((value ?? old) ? 1 : 0);
      this.db.prepare(`UPDATE custom_fields SET name = ?, type = ?, settings = ?, show_on_card = ?, automatically_on_card = ?, always_on_card = ?,
                         show_label_on_mini_card = ?, show_sum_at_top_of_list = ?, modified_at = ? WHERE id = ?`).run(
        change.name ?? field.name, type, JSON.stringify(settings), flag(change.showOnCard, field.showOnCard),
        flag(change.automaticallyOnCard, field.automaticallyOnCard), flag(change.alwaysOnCard, field.alwaysOnCard),
        flag(change.showLabelOnMiniCard, field.showLabelOnMiniCard), flag(change.showSumAtTopOfList, field.showSumAtTopOfList), now(), field.id);
      if (type !== field.type) this.db.prepare('DELETE FROM card_custom_values WHERE field_id = ?').run(field.id);
      else if (type === 'dropdown') this.dropStaleChoices(field.id, settings.dropdownItems ?? []);
      this.activities.record(field.boardId, userId, 'changedCustomField', {}, { customFieldId: field.id, name: change.name ?? field.name });
    })();

  readonly delete = (userId: string, field: CustomField): void =>
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM custom_fields WHERE id = ?').run(field.id);
      this.activities.record(field.boardId, userId, 'deleteCustomField', {}, { customFieldId: field.id, name: field.name });
    })();

  /** Adds choices to a dropdown field; answers them with their new ids. */
  addChoices(userId: string, field: CustomField, names: string[]): DropdownItem[] {
    const added = names.map((name) => ({ _id: newId(6), name }));
    this.update(userId, field, { settings: { ...field.settings, dropdownItems: [...(field.settings.dropdownItems ?? []), ...added] } });
    return added;
  }

  /** Renames one choice of a dropdown field, or (name null) removes it: cards that had it then have none. */
  changeChoice(userId: string, field: CustomField, itemId: string, name: string | null): void {
    const items = field.settings.dropdownItems ?? [];
    const next = name === null ? items.filter((i) => i._id !== itemId) : items.map((i) => (i._id === itemId ? { ...i, name } : i));
    this.update(userId, field, { settings: { ...field.settings, dropdownItems: next } });
  }

  /** Cards whose value is a choice no longer offered lose it. */
  private dropStaleChoices(fieldId: string, items: DropdownItem[]): void {
    this.db.prepare(`DELETE FROM card_custom_values WHERE field_id = ? AND value NOT IN (SELECT json_quote(value) FROM json_each(?))`)
      .run(fieldId, JSON.stringify(items.map((i) => i._id)));
  }

  /** A card's values, by field id. */
  valuesOf(cardId: string): Map<string, FieldValue> {
    const rows = this.db.prepare('SELECT field_id AS fieldId, value FROM card_custom_values WHERE card_id = ?').all(cardId) as { fieldId: string; value: string }[];
    return new Map(rows.map((r) => [r.fieldId, JSON.parse(r.value) as FieldValue]));
  }

  /** The values of the board's fields shown on the board, by card id (for the board page). */
  shownOnBoard(boardId: string): Map<string, Map<string, FieldValue>> {
    const rows = this.db.prepare(
      `SELECT v.card_id AS cardId, v.field_id AS fieldId, v.value FROM card_custom_values v JOIN custom_fields f ON f.id = v.field_id
       WHERE f.board_id = ? AND f.show_on_card = 1 ORDER BY f.sort`,
    ).all(boardId) as { cardId: string; fieldId: string; value: string }[];
    const byCard = new Map<string, Map<string, FieldValue>>();
    for (const r of rows) {
      if (!byCard.has(r.cardId)) byCard.set(r.cardId, new Map());
      byCard.get(r.cardId)!.set(r.fieldId, JSON.parse(r.value) as FieldValue);
    }
    return byCard;
  }

  /** Sets (or, for null, clears) the card's values of the given fields; answers how many changed. */
  readonly setValues = (userId: string, card: Card, values: Map<CustomField, FieldValue | null>): number =>
    this.db.transaction((): number => {
      const current = this.valuesOf(card.id);
      let changed = 0;
      for (const [field, value] of values) {
        const before = current.get(field.id);
        if (JSON.stringify(before ?? null) === JSON.stringify(value)) continue;
        if (value === null) this.db.prepare('DELETE FROM card_custom_values WHERE card_id = ? AND field_id = ?').run(card.id, field.id);
        else {
          this.db.prepare(`INSERT INTO card_custom_values (card_id, field_id, value) VALUES (?, ?, ?)
                           ON CONFLICT (card_id, field_id) DO UPDATE SET value = excluded.value`).run(card.id, field.id, JSON.stringify(value));
        }
        this.activities.record(card.boardId, userId, 'setCustomField', { cardId: card.id }, { customFieldId: field.id, name: field.name, value });
        changed++;
      }
      return changed;
    })();
}
