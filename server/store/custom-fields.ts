// A board's custom fields and the cards' values for them. Changes of values are recorded as activities
// (the board refreshes, webhooks hear of them); defining fields is board setup and bumps the version too.
import { message } from '../i18n/messages.js';
import { MAX } from '../limits.js';
import { OverLimitError } from './refused.js';
import type { Sql } from './sql.js';
import { lockBoards, type Activities } from './activities.js';
import type { Card } from './cards.js';
import { cleanSettings, type CustomField, type DropdownItem, type FieldSettings, type FieldType, type FieldValue } from '../custom-fields.js';
import { newId } from '../ids.js';
import { now } from './time.js';

interface FieldRow {
  id: string; boardId: string; name: string; type: FieldType; settings: string; showOnCard: number; automaticallyOnCard: number;
  alwaysOnCard: number; showLabelOnMiniCard: number; showSumAtTopOfList: number; sort: number;
}

const COLUMNS = `id, board_id AS "boardId", name, type, settings, show_on_card AS "showOnCard", automatically_on_card AS "automaticallyOnCard",
  always_on_card AS "alwaysOnCard", show_label_on_mini_card AS "showLabelOnMiniCard", show_sum_at_top_of_list AS "showSumAtTopOfList", sort`;

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
    private readonly sql: Sql,
    private readonly activities: Activities,
  ) {}

  async forBoard(boardId: string): Promise<CustomField[]> {
    return (await this.sql.all(
      `SELECT ${COLUMNS} FROM custom_fields WHERE board_id = ? ORDER BY sort, created_at`, boardId) as FieldRow[]).map(fieldOf);
  }

  async byId(boardId: string, id: string): Promise<CustomField | undefined> {
    const row = await this.sql.one(
      `SELECT ${COLUMNS} FROM custom_fields WHERE board_id = ? AND id = ?`, boardId, id) as FieldRow | undefined;
    return row && fieldOf(row);
  }

  readonly create = async (userId: string, boardId: string, definition: FieldDefinition): Promise<CustomField> =>
    this.sql.transaction(async (): Promise<CustomField> => {
      await lockBoards(this.sql, boardId);
      const id = newId();
      const at = now();
      const { count, sort } = await this.sql.one(
        'SELECT count(*) AS count, coalesce(max(sort) + 1, 0) AS sort FROM custom_fields WHERE board_id = ?', boardId) as { count: number; sort: number };
      if (count >= MAX.customFieldsPerBoard) throw new OverLimitError(message('refusals.tooManyFields', { max: MAX.customFieldsPerBoard }), 422);
      await this.sql.run(
        `INSERT INTO custom_fields (id, board_id, name, type, settings, show_on_card, automatically_on_card, always_on_card,
                         show_label_on_mini_card, show_sum_at_top_of_list, sort, created_at, modified_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, boardId, definition.name, definition.type, JSON.stringify(cleanSettings(definition.type, definition.settings)),
        definition.showOnCard ? 1 : 0, definition.automaticallyOnCard ? 1 : 0, definition.alwaysOnCard ? 1 : 0,
        definition.showLabelOnMiniCard ? 1 : 0, definition.showSumAtTopOfList ? 1 : 0, sort, at, at);
      await this.activities.record(boardId, userId, 'createCustomField', {}, { customFieldId: id, name: definition.name, type: definition.type });
      return (await this.byId(boardId, id))!;
    });

  /** Changes a field. A new type drops the values cards had (they meant something else). */
  readonly update = async (userId: string, field: CustomField, change: Partial<FieldDefinition>): Promise<void> =>
    this.sql.transaction(async () => {
      const type = change.type ?? field.type;
      const settings = cleanSettings(type, change.settings ?? field.settings);
      const flag = (value: boolean | undefined, old: boolean) => ((value ?? old) ? 1 : 0);
      await this.sql.run(
        `UPDATE custom_fields SET name = ?, type = ?, settings = ?, show_on_card = ?, automatically_on_card = ?, always_on_card = ?,
                         show_label_on_mini_card = ?, show_sum_at_top_of_list = ?, modified_at = ? WHERE id = ?`, change.name ?? field.name, type, JSON.stringify(settings), flag(change.showOnCard, field.showOnCard),
        flag(change.automaticallyOnCard, field.automaticallyOnCard), flag(change.alwaysOnCard, field.alwaysOnCard),
        flag(change.showLabelOnMiniCard, field.showLabelOnMiniCard), flag(change.showSumAtTopOfList, field.showSumAtTopOfList), now(), field.id);
      if (type !== field.type) await this.sql.run('DELETE FROM card_custom_values WHERE field_id = ?', field.id);
      else if (type === 'dropdown') await this.dropStaleChoices(field.id, settings.dropdownItems ?? []);
      await this.activities.record(field.boardId, userId, 'changedCustomField', {}, { customFieldId: field.id, name: change.name ?? field.name });
    });

  readonly delete = async (userId: string, field: CustomField): Promise<void> =>
    this.sql.transaction(async () => {
      await this.sql.run('DELETE FROM custom_fields WHERE id = ?', field.id);
      await this.activities.record(field.boardId, userId, 'deleteCustomField', {}, { customFieldId: field.id, name: field.name });
    });

  /** Adds choices to a dropdown field; answers them with their new ids. */
  async addChoices(userId: string, field: CustomField, names: string[]): Promise<DropdownItem[]> {
    if ((field.settings.dropdownItems ?? []).length + names.length > MAX.choicesPerField) {
      throw new OverLimitError(message('refusals.tooManyChoices', { max: MAX.choicesPerField }), 422);
    }
    const added = names.map((name) => ({ _id: newId(6), name }));
    await this.update(userId, field, { settings: { ...field.settings, dropdownItems: [...(field.settings.dropdownItems ?? []), ...added] } });
    return added;
  }

  /** Renames one choice of a dropdown field, or (name null) removes it: cards that had it then have none. */
  async changeChoice(userId: string, field: CustomField, itemId: string, name: string | null): Promise<void> {
    const items = field.settings.dropdownItems ?? [];
    const next = name === null ? items.filter((i) => i._id !== itemId) : items.map((i) => (i._id === itemId ? { ...i, name } : i));
    await this.update(userId, field, { settings: { ...field.settings, dropdownItems: next } });
  }

  /** Cards whose value is a choice no longer offered lose it. */
  private async dropStaleChoices(fieldId: string, items: DropdownItem[]): Promise<void> {
    await this.sql.run(
      `DELETE FROM card_custom_values WHERE field_id = ? AND value NOT IN (${this.sql.jsonTexts})`,
      fieldId, JSON.stringify(items.map((i) => JSON.stringify(i._id)))); // values are stored as JSON
  }

  /** A card's values, by field id. */
  async valuesOf(cardId: string): Promise<Map<string, FieldValue>> {
    const rows = await this.sql.all(
      'SELECT field_id AS "fieldId", value FROM card_custom_values WHERE card_id = ?', cardId) as { fieldId: string; value: string }[];
    return new Map(rows.map((r) => [r.fieldId, JSON.parse(r.value) as FieldValue]));
  }

  /** The live cards of the board with a value of this field, and the value (WeKan's cardsByCustomField). */
  async valuesOfField(boardId: string, fieldId: string): Promise<{ cardId: string; value: FieldValue }[]> {
    const rows = await this.sql.all(`SELECT v.card_id AS "cardId", v.value FROM card_custom_values v JOIN cards c ON c.id = v.card_id
       WHERE c.board_id = ? AND c.archived = 0 AND v.field_id = ? ORDER BY c.sort, c.created_at`, boardId, fieldId) as { cardId: string; value: string }[];
    return rows.map((r) => ({ cardId: r.cardId, value: JSON.parse(r.value) as FieldValue }));
  }

  /** The values of the board's fields shown on the board, by card id (for the board page). */
  async shownOnBoard(boardId: string): Promise<Map<string, Map<string, FieldValue>>> {
    const rows = await this.sql.all(
      `SELECT v.card_id AS "cardId", v.field_id AS "fieldId", v.value FROM card_custom_values v JOIN custom_fields f ON f.id = v.field_id
       WHERE f.board_id = ? AND f.show_on_card = 1 ORDER BY f.sort`, boardId) as { cardId: string; fieldId: string; value: string }[];
    const byCard = new Map<string, Map<string, FieldValue>>();
    for (const r of rows) {
      if (!byCard.has(r.cardId)) byCard.set(r.cardId, new Map());
      byCard.get(r.cardId)!.set(r.fieldId, JSON.parse(r.value) as FieldValue);
    }
    return byCard;
  }

  /** Sets (or, for null, clears) the card's values of the given fields; answers how many changed. */
  readonly setValues = async (userId: string, card: Card, values: Map<CustomField, FieldValue | null>): Promise<number> =>
    this.sql.transaction(async (): Promise<number> => {
      const current = await this.valuesOf(card.id);
      let changed = 0;
      for (const [field, value] of values) {
        const before = current.get(field.id);
        if (JSON.stringify(before ?? null) === JSON.stringify(value)) continue;
        if (value === null) await this.sql.run('DELETE FROM card_custom_values WHERE card_id = ? AND field_id = ?', card.id, field.id);
        else {
          await this.sql.run(`INSERT INTO card_custom_values (card_id, field_id, value) VALUES (?, ?, ?)
                           ON CONFLICT (card_id, field_id) DO UPDATE SET value = excluded.value`, card.id, field.id, JSON.stringify(value));
        }
        await this.activities.record(card.boardId, userId, 'setCustomField', { cardId: card.id }, { customFieldId: field.id, name: field.name, value });
        changed++;
      }
      return changed;
    });
}
