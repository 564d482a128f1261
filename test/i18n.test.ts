// The interface in the user's language (Step 11): the catalogues (complete, the same placeholders in
// every language, each message formats), how a page's language is chosen (the account's setting, then
// a ?lang= choice remembered in a cookie, then Accept-Language, then English), dates and numbers per
// language, and the translated pages valid HTML 4.01, also in ISO-8859-1 without numeric references.
import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { IntlMessageFormat } from 'intl-messageformat';
import { Catalogues, catalogues, LANGUAGE_CODES, translator, type Language } from '../server/i18n/messages.js';
import { formatterFor } from '../server/web/format.js';
import { describeActivity } from '../server/web/history.js';
import { projectRoot } from '../server/paths.js';
import { MEMBER_ROLES } from '../server/permissions.js';
import { startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, signUp } from './helpers/browser.js';
import { startSmtp } from './helpers/smtp.js';
import { until } from './helpers/wait.js';
import { profileOf } from '../server/store/users.js';
import { validateHtml } from './helpers/validate.js';
import { DEPENDENCY_TYPES } from '../server/store/dependencies.js';

const TRANSLATED = LANGUAGE_CODES.filter((code) => code !== 'en');
interface AstElement { type: number; value?: unknown; options?: Record<string, { value: AstElement[] }>; children?: AstElement[] }
/** The names of a message's placeholders ({name}, {count, plural, …}, also inside plural branches), sorted. */
function placeholders(text: string): string[] {
  const names = new Set<string>();
  const walk = (elements: AstElement[]) => {
    for (const element of elements) {
      // 0 is literal text and 7 the # of a plural branch; every other kind names an argument
      if (element.type !== 0 && element.type !== 7 && typeof element.value === 'string') names.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(text, 'en').getAst() as AstElement[]);
  return [...names].sort();
}

t.test('every language has every message, with the same placeholders as English', async (t) => {
  t.ok(catalogues.keys().length > 50);
  for (const language of TRANSLATED) {
    const missing = catalogues.missingKeys(language);
    t.same(missing, [], `${language} lacks: ${missing.join(', ') || 'nothing'}`);
    t.same(catalogues.strayKeys(language), [], `${language} has no key English lacks`);
    for (const key of catalogues.keys()) {
      const own = catalogues.text(language, key);
      if (own !== undefined && placeholders(own).join() !== placeholders(catalogues.text('en', key)!).join()) {
        t.fail(`${language} ${key}: placeholders ${placeholders(own).join()} differ from English`);
      }
    }
  }
});

t.test('every role, calendar entry and history line the code names has its words', async (t) => {
  // keys made from a value in code (it.t('roles.' + role)) are not seen by a search of the templates
  for (const role of [...MEMBER_ROLES, 'visitor']) t.ok(catalogues.text('en', `roles.${role}`), `roles.${role}`);
  for (const role of MEMBER_ROLES) t.ok(catalogues.text('en', `members.can.${role}`), `members.can.${role}`);
  for (const role of [...MEMBER_ROLES, 'visitor']) t.ok(catalogues.text('en', `errors.roleAllows.${role}`), `errors.roleAllows.${role}`);
  for (const kind of ['start', 'due', 'end']) t.ok(catalogues.text('en', `calendar.${kind}`), `calendar.${kind}`);
  for (const type of DEPENDENCY_TYPES) t.ok(catalogues.text('en', `dependencies.types.${type}`), `dependencies.types.${type}`);
  // every activity type the card history names (the cases of history.ts), each way it can read
  const source = fs.readFileSync(path.join(projectRoot, 'server', 'web', 'history.ts'), 'utf8');
  const types = [...source.matchAll(/case '([\w-]+)'/g)].map((match) => match[1]!);
  t.ok(types.length > 35, `${types.length} activity types`);
  const names = { lists: new Map(), swimlanes: new Map(), labels: new Map(), users: new Map() };
  for (const language of LANGUAGE_CODES) {
    for (const activityType of types) {
      const samples = activityType.startsWith('a-') ? [{ old: null }, { at: '2026-01-01T00:00:00.000Z', old: null }]
        : [{}, { value: null, spentTime: null }, { oldListId: 'x', color: 'red', spentTime: 2 }];
      for (const data of samples) {
        const activity = { id: 'a', boardId: 'b', userId: null, activityType, cardId: 'c', listId: 'l', swimlaneId: 's', data: JSON.stringify(data),
          boardVersion: 1, createdAt: '2026-01-01T00:00:00.000Z' };
        const words = describeActivity(activity, names, formatterFor('UTC', language), translator(language));
        if (words === activityType || words.includes('history.')) t.fail(`${language} ${activityType}: ${words}`);
      }
    }
  }
});

t.test('German and Finnish need only ISO-8859-1: no message of theirs becomes a numeric reference on a Latin-1 page', async (t) => {
  // U+FFFD is the replacement character the notice about replaced characters shows on purpose
  const outsideLatin1 = /[^\u0000-\u00ff\ufffd]/u;
  for (const language of TRANSLATED) {
    for (const key of catalogues.keys()) {
      const text = catalogues.text(language, key)!;
      if (outsideLatin1.test(text)) t.fail(`${language} ${key}: "${text.match(outsideLatin1)![0]}" is not in ISO-8859-1`);
    }
  }
  t.pass('checked');
});

t.test('every message formats in every language; plurals follow the language', async (t) => {
  for (const language of LANGUAGE_CODES) {
    const { t: message } = translator(language);
    for (const key of catalogues.keys()) {
      const values = Object.fromEntries(placeholders(catalogues.text('en', key)!).map((name) => [name, 2]));
      t.doesNotThrow(() => message(key, values), `${language} ${key}`);
    }
  }
  t.equal(translator('en').t('profile.sessions', { count: 1 }).split(',')[0], 'Signed in on 1 browser');
  t.equal(translator('en').t('profile.sessions', { count: 3 }).split(',')[0], 'Signed in on 3 browsers');
  t.equal(translator('de').t('profile.heldForSummary', { count: 1 }), '(1 Benachrichtigung wartet auf die nächste)');
  t.equal(translator('fi').t('profile.heldForSummary', { count: 4 }), '(4 ilmoitusta odottaa seuraavaa koostetta)');
  t.equal(translator('de').t('profile.heldForSummary', { count: 1234 }), '(1.234 Benachrichtigungen warten auf die nächste)', 'numbers as the language writes them');
  t.throws(() => translator('en').t('no.such.key'), /no message "no.such.key"/, 'a key English lacks is a mistake in the code');
  t.equal(translator('en').html('signIn.noAccount', { link: '<a href="/sign-up">Sign up</a>' }), 'No account yet? <a href="/sign-up">Sign up</a>.',
    'markup goes in as it is');
});

t.test('a message a language lacks is shown in English, with English plurals', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-i18n-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'en.json'), JSON.stringify({ page: { hello: 'Hello', cards: '{n, plural, one {# card} other {# cards}}', tag: '<b>' } }));
  fs.writeFileSync(path.join(dir, 'fi.json'), JSON.stringify({ page: { hello: 'Hei' } }));
  const small = new Catalogues(dir);
  t.same(small.missingKeys('fi'), ['page.cards', 'page.tag'], 'the test lists what is missing');
  t.same(small.missingKeys('de'), ['page.hello', 'page.cards', 'page.tag'], 'a language without a file has nothing of its own');
  const fi = small.translator('fi');
  t.equal(fi.t('page.hello'), 'Hei');
  t.equal(fi.t('page.cards', { n: 1 }), '1 card');
  t.equal(fi.html('page.tag', {}), '&lt;b&gt;', 'a message is text: html() escapes it');
  t.throws(() => fi.t('page.none'), /no message "page.none"/);
  const lenient = new Catalogues(dir, true);
  t.equal(lenient.translator('fi').t('page.none'), 'page.none', 'a production server shows the key instead of failing the page');
});

t.test('dates and numbers as each language writes them, in the viewer\'s time zone', async (t) => {
  const iso = '2026-11-24T13:05:00.000Z';
  t.equal(formatterFor('Europe/Berlin', 'en').dateTime(iso), '2026-11-24 14:05', 'English keeps ISO 8601');
  t.equal(formatterFor('Europe/Berlin', 'de').dateTime(iso), '24.11.2026, 14:05');
  t.equal(formatterFor('Europe/Helsinki', 'fi').dateTime(iso), '24.11.2026 klo 15.05');
  t.equal(formatterFor('UTC', 'de').date(iso), '24.11.2026');
  t.equal(formatterFor('UTC', 'fi').number(1234.5), '1\u00a0234,5');
  t.equal(formatterFor('UTC', 'en').number(1234.5), '1,234.5');
});

const langOf = (body: string) => cheerio.load(body)('html').attr('lang');

t.test('the language: Accept-Language, a ?lang= choice kept in a cookie, the account\'s setting', async (t) => {
  const { app } = await startApp(t);
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  const plain = await get('/sign-in');
  t.equal(langOf(plain.body), 'en', 'no Accept-Language (Dillo): English');
  t.match(plain.body, '<h1>Sign in</h1>');
  t.match(String(plain.headers.vary), /Accept-Language/, 'caches keep the languages apart');
  const german = await get('/sign-in', { 'accept-language': 'de-AT,de;q=0.9,en;q=0.5' });
  t.equal(langOf(german.body), 'de', 'de-AT asks for German');
  t.match(german.body, '<h1>Anmelden</h1>');
  t.equal(langOf((await get('/sign-in', { 'accept-language': 'fi-FI' })).body), 'fi');
  t.equal(langOf((await get('/sign-in', { 'accept-language': 'pl, sv;q=0.8' })).body), 'en', 'a language we lack: English');

  // the sign-in page lists the languages for browsers that send no Accept-Language
  const links = cheerio.load(plain.body)('a[href*="lang="]').map((_, a) => cheerio.load(plain.body)(a).text()).get();
  t.same(links, ['English', 'Deutsch', 'Suomi', 'as the browser asks']);
  const chosen = await get('/sign-in?lang=fi&next=%2F');
  t.equal(langOf(chosen.body), 'fi');
  const cookie = chosen.cookies.find((c) => c.name === 'wami_lang');
  t.equal(cookie?.value, 'fi', 'remembered for this browser');
  const later = await get('/sign-in', { cookie: `wami_lang=fi`, 'accept-language': 'de' });
  t.equal(langOf(later.body), 'fi', 'the choice comes before Accept-Language');
  const forgotten = await get('/sign-in?lang=auto', { cookie: 'wami_lang=fi', 'accept-language': 'de' });
  t.equal(langOf(forgotten.body), 'de', '"as the browser asks" forgets it');
  t.ok(forgotten.cookies.some((c) => c.name === 'wami_lang' && c.value === ''));
  const missing = await get('/nowhere', { 'accept-language': 'de' });
  t.equal(missing.statusCode, 404);
  t.match(missing.body, '<h1>Nicht gefunden</h1>', 'error pages too');
  t.match(missing.body, '(HTTP-Status 404)');
  const unknown = await get('/sign-in?lang=xx');
  t.equal(unknown.statusCode, 400);
  t.match(unknown.body, 'Pages can be shown in en, de, fi');

  // a signed-in person's own setting comes first
  const alice = await signUp(app, 'alice');
  await alice.submit(await alice.get('/profile'), '/profile', { language: 'de' });
  const profile = await app.inject({ method: 'GET', url: '/profile', headers: { cookie: alice.cookieHeader(), 'accept-language': 'fi' } });
  t.equal(langOf(profile.body), 'de');
  t.match(profile.body, '<h1>Ihr Profil</h1>');
  t.match(profile.body, 'Angemeldet als');
  const noTitle = await alice.submit(await alice.get('/'), '/boards', { title: ' ' });
  t.equal(noTitle.status, 422);
  t.match(noTitle.text, 'Fehler: Der Board-Titel fehlt: Geben Sie mindestens ein Zeichen ein.', 'what she typed wrong, in her language');
  const login = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'alice', password: 'correct horse battery' } });
  // the API: English (as WeKan's), whatever her profile says, unless the request's Accept-Language asks otherwise
  const bearer = { authorization: `Bearer ${login.json().token}` };
  const api = await app.inject({ method: 'POST', url: '/api/boards', headers: bearer, payload: { title: '', owner: login.json().id } });
  t.equal(api.statusCode, 422);
  t.same(api.json(), { error: 'invalid', reason: 'Title is missing: type at least one character.',
    message: 'Title is missing: type at least one character. [invalid]', statusCode: 422 });
  const asked = await app.inject({ method: 'POST', url: '/api/boards', headers: { ...bearer, 'accept-language': 'fi' }, payload: { title: '', owner: login.json().id } });
  t.match(asked.json(), { error: 'invalid', reason: 'Otsikko puuttuu: kirjoita vähintään yksi merkki.' }, 'the code stays; the reason follows Accept-Language');
  const refused = await alice.submit(await alice.get('/profile'), '/profile', { language: 'tlh' });
  t.equal(refused.status, 422);
  t.match(refused.text, 'Wählen Sie eine Sprache aus der Liste.', 'the error in her language');
  await alice.submit(await alice.get('/profile'), '/profile', { language: '' });
  const automatic = await app.inject({ method: 'GET', url: '/profile', headers: { cookie: alice.cookieHeader(), 'accept-language': 'fi' } });
  t.equal(langOf(automatic.body), 'fi', 'automatic again: her browser\'s Accept-Language');
});

t.test('the translated pages are valid HTML 4.01, and Latin-1 pages need no numeric references', async (t) => {
  const { app } = await startApp(t);
  const alice = await signUp(app, 'alice');
  for (const language of LANGUAGE_CODES as Language[]) {
    for (const url of ['/sign-in', '/profile']) {
      // the sign-in page as a visitor sees it, the profile as alice does
      const headers = url === '/sign-in' ? { 'accept-language': language } : { cookie: alice.cookieHeader(), 'accept-language': language };
      const page = await app.inject({ method: 'GET', url, headers });
      t.equal(langOf(page.body), language);
      const { valid, report } = await validateHtml(page.body, `${language}${url.replace('/', '-')}`);
      t.ok(valid, `${url} in ${language} is valid HTML 4.01\n${report}`);
      if (language === 'en') continue;
      const latin = await app.inject({ method: 'GET', url: `${url}?charset=iso-8859-1`, headers });
      t.match(String(latin.headers['content-type']), 'iso-8859-1');
      const text = latin.rawPayload.toString('latin1');
      t.match(text, 'ä', 'the letters are bytes of the charset');
      t.notMatch(text, /&#\d+;/, `${url} in ${language}: no numeric references in ISO-8859-1`);
    }
  }
});

t.test('mails in the recipient\'s language: their profile\'s, else the page they asked from', async (t) => {
  const smtp = await startSmtp(t);
  const { app, store } = await startApp(t, { WAMI_SMTP_URL: smtp.url, WAMI_BASE_URL: 'http://kanban.example.org' });
  await app.ready();
  const alice = await signUp(app, 'alice');
  await signUp(app, 'bob');
  const bobUser = (await store.users.byUsername('bob'))!;
  await store.users.updateProfile(bobUser.id, { ...profileOf(bobUser), language: 'de' });
  const board = await createBoard(alice, 'Garten');
  await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: 'bob', role: 'normal' });
  await until(() => smtp.received.length === 1);
  t.equal(smtp.received[0]!.subject, 'alice hat Sie zum Board "Garten" auf Wami hinzugefügt', 'bob reads German');
  t.match(String(smtp.received[0]!.text), 'Sie bekommen diese E-Mail wegen der E-Mail-Einstellungen');
  t.match(smtp.raw[0]!, /^Subject: =\?UTF-8\?/m, 'the subject\'s umlaut is encoded (RFC 2047)');

  // a visitor reading Finnish asks for a reset link for carol, who chose no language: the mail is Finnish
  await signUp(app, 'carol');
  const visitor = new Browser(app);
  const form = await visitor.get('/forgot-password?lang=fi');
  t.match(form.text, 'Unohditko salasanasi?');
  await visitor.submit(form, '/forgot-password', { email: 'carol@example.org' });
  await until(() => smtp.received.length === 2);
  t.equal(smtp.received[1]!.subject, 'Valitse uusi salasana palveluun Wami');
  t.match(String(smtp.received[1]!.text), 'Hei carol,');
  t.match(String(smtp.received[1]!.text), 'avaamalla tämä linkki tunnin kuluessa');
});
