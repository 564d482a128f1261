// Custom fields on the pages: a board's members who may edit define them (board settings, then a page
// per field for its name, display and choices) and fill them in on the card page (one form for all).
import { message, type Localized } from '../i18n/messages.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { checkFieldValue, isFieldType, type CustomField, type FieldValue } from '../custom-fields.js';
import type { BoardAccess } from '../store/boards.js';
import { checkTitle } from '../validation.js';
import { loadBoard, loadCard, loadCustomField, need } from '../web/access.js';
import { notFound } from '../web/errors.js';
import { formBody, text } from '../web/forms.js';
import { seeOther } from '../web/redirect.js';
import { urls } from '../web/urls.js';
import { showCard } from './card.js';
import { showSettings } from './board-settings.js';

type BoardParams = { Params: { boardId: string; slug: string } };
type FieldParams = { Params: { boardId: string; slug: string; fieldId: string } };
type ChoiceParams = { Params: { boardId: string; slug: string; fieldId: string; itemId: string } };
type CardParams = { Params: { boardId: string; slug: string; cardId: string } };

const fieldPage = (access: BoardAccess, field: CustomField) => urls.boardPage(access.board, `custom-fields/${field.id}`);

async function loadField(request: FastifyRequest<FieldParams>) {
  const access = await loadBoard(request, request.params.boardId);
  const user = need(access, 'edit', request);
  return { access, user, field: (await loadCustomField(request, access, request.params.fieldId)) };
}

function showField(reply: FastifyReply, access: BoardAccess, field: CustomField, errors: Localized[] = [], status = 200) {
  return reply.page('custom-field', { title: `${field.name} - ${access.board.title}`, board: access.board, field, errors }, status);
}

export const customFieldPages: FastifyPluginAsync = async (app) => {
  app.post<BoardParams>('/b/:boardId/:slug/custom-fields', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'edit', request);
    const body = formBody(request);
    const name = checkTitle(text(body, 'name'), 'fieldName');
    const type = text(body, 'type');
    const errors = [...(name.ok ? [] : [name.error]), ...(isFieldType(type) ? [] : [message('pageErrors.fieldKind')])];
    if (!name.ok || !isFieldType(type)) return showSettings(request, reply, access, undefined, errors, 422);
    const field = await request.server.store.customFields.create(user.id, access.board.id, { name: name.value, type, settings: {}, showOnCard: text(body, 'showOnCard') === 'on' });
    return seeOther(request, reply, fieldPage(access, field));
  });

  app.get<FieldParams>('/b/:boardId/:slug/custom-fields/:fieldId', async (request, reply) => {
    const { access, field } = await loadField(request);
    return showField(reply, access, field);
  });

  app.post<FieldParams>('/b/:boardId/:slug/custom-fields/:fieldId', async (request, reply) => {
    const { access, user, field } = await loadField(request);
    const body = formBody(request);
    const name = checkTitle(text(body, 'name'), 'fieldName');
    if (!name.ok) return showField(reply, access, field, [name.error], 422);
    await request.server.store.customFields.update(user.id, field, {
      name: name.value, showOnCard: text(body, 'showOnCard') === 'on',
      settings: { ...field.settings, currencyCode: text(body, 'currencyCode') || field.settings.currencyCode,
        stringtemplateFormat: text(body, 'stringtemplateFormat') || field.settings.stringtemplateFormat,
        stringtemplateSeparator: text(body, 'stringtemplateSeparator') || field.settings.stringtemplateSeparator },
    });
    return seeOther(request, reply, fieldPage(access, field));
  });

  app.post<FieldParams>('/b/:boardId/:slug/custom-fields/:fieldId/delete', async (request, reply) => {
    const { access, user, field } = await loadField(request);
    await request.server.store.customFields.delete(user.id, field);
    return seeOther(request, reply, urls.boardPage(access.board, 'settings'));
  });

  app.post<FieldParams>('/b/:boardId/:slug/custom-fields/:fieldId/choices', async (request, reply) => {
    const { access, user, field } = await loadField(request);
    const name = checkTitle(text(formBody(request), 'name'), 'choice');
    if (!name.ok) return showField(reply, access, field, [name.error], 422);
    await request.server.store.customFields.addChoices(user.id, field, [name.value]);
    return seeOther(request, reply, fieldPage(access, field));
  });

  app.post<ChoiceParams>('/b/:boardId/:slug/custom-fields/:fieldId/choices/:itemId', async (request, reply) => {
    const { access, user, field } = await loadField(request);
    if (!field.settings.dropdownItems?.some((i) => i._id === request.params.itemId)) throw notFound();
    const body = formBody(request);
    let name: string | null = null;
    // the Delete button (its name; action=delete from forms of an older Wami)
    if (text(body, 'delete') === '' && text(body, 'action') !== 'delete') {
      const typed = checkTitle(text(body, 'name'), 'choice');
      if (!typed.ok) return showField(reply, access, field, [typed.error], 422);
      name = typed.value;
    }
    await request.server.store.customFields.changeChoice(user.id, field, request.params.itemId, name);
    return seeOther(request, reply, fieldPage(access, field));
  });

  app.post<CardParams>('/b/:boardId/:slug/:cardId/custom-fields', async (request, reply) => {
    const access = await loadBoard(request, request.params.boardId);
    const user = need(access, 'edit', request);
    const card = await loadCard(request, access, request.params.cardId);
    const body = formBody(request);
    const { store } = request.server;
    const typed: Record<string, string> = {};
    const values = new Map<CustomField, FieldValue | null>();
    const errors: Localized[] = [];
    for (const field of (await store.customFields.forBoard(access.board.id))) {
      const name = `field-${field.id}`;
      if (body[name] === undefined) continue; // a field added since the page was shown
      typed[field.id] = text(body, name);
      const value = checkFieldValue(field, typed[field.id], user.timeZone);
      if (value.ok) values.set(field, value.value);
      else errors.push(value.error);
    }
    if (errors.length) return showCard(request, reply, access, card, { errors, fieldValues: typed }, 422);
    await store.customFields.setValues(user.id, card, values);
    return seeOther(request, reply, urls.card(access.board, card.id));
  });
};
