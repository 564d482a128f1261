// Pages in ISO-8859-1 or windows-1252 for browsers without UTF-8, and forms read in the charset they
// were served in: "ä" and "€" round-trip from UTF-8 and Latin pages, upper- and lower-case escapes
// (ELinks sends %e4), numeric references (modern browsers on a Latin page), bytes invalid in the
// charset (replacement characters and a note, never a 500).
import t, { type Test } from 'tap';
import { startApp } from './helpers/app.js';
import { Browser, boardPath, createBoard, encode, formValues, signUp, type Page } from './helpers/browser.js';
import { validateHtml } from './helpers/validate.js';
import { decodeBytes, encodeText } from '../server/web/charsets.js';
import { parseUrlEncoded, REPLACED } from '../server/web/url-encoded.js';

t.test('url-encoded text is read in the charset its form declares', async (t) => {
  t.same({ ...parseUrlEncoded('title=%C3%A4%E2%82%AC') }, { title: 'ä€' }, 'UTF-8, upper-case escapes');
  t.same({ ...parseUrlEncoded('title=%c3%a4%e2%82%ac') }, { title: 'ä€' }, 'UTF-8, lower-case escapes (ELinks)');
  t.same({ ...parseUrlEncoded('_charset_=iso-8859-1&title=%E4%80') }, { title: 'ä€' }, 'a Latin-1 page: € as windows-1252 sends it');
  t.same({ ...parseUrlEncoded('_charset_=iso-8859-1&title=%e4EUR') }, { title: 'äEUR' }, 'as Lynx and ELinks send it: lower case, € spelt out');
  t.same({ ...parseUrlEncoded('_charset_=windows-1252&title=%E4%26%23937%3B+%26%23x1F600%3B') }, { title: 'äΩ 😀' },
    'numeric references for what the charset lacks');
  t.same({ ...parseUrlEncoded('title=%26%23937%3B') }, { title: '&#937;' }, 'a UTF-8 form keeps a reference typed as text');
  t.same({ ...parseUrlEncoded('a+b=c+d%2B&x=1&x=2&empty&=v') }, { 'a b': 'c d+', x: ['1', '2'], empty: '', '': 'v' },
    'spaces, repeated names, a name with no value');
  t.same({ ...parseUrlEncoded('q=%ZZ%4') }, { q: '%ZZ%4' }, 'a broken escape is taken as it stands');
  t.same({ ...parseUrlEncoded('q=ä') }, { q: 'ä' }, 'a character sent unescaped (curl --data)');
  t.same({ ...parseUrlEncoded('__proto__=x') }, { ['__proto__']: 'x' }, 'no prototype games');
  t.notOk(parseUrlEncoded('title=%C3%A4')[REPLACED], 'valid UTF-8: nothing replaced');

  const broken = parseUrlEncoded('title=%E4ber');
  t.equal(broken.title, '\ufffdber', 'a Latin byte where UTF-8 was declared: a replacement character');
  t.equal(broken[REPLACED], true, 'and the form is marked');
  const undefinedByte = parseUrlEncoded('_charset_=windows-1252&title=a%81b');
  t.equal(undefinedByte.title, 'a\ufffdb', 'a byte windows-1252 leaves undefined');
  t.equal(undefinedByte[REPLACED], true);
  t.equal(decodeBytes(Buffer.from([0xe4]), 'koi8-r').text, 'Д', 'a charset we never serve but a browser used');
});

t.test('pages in a Latin charset write what it lacks as numeric references', async (t) => {
  t.same(encodeText('ä€', 'iso-8859-1'), Buffer.from([0xe4, ...Buffer.from('&#8364;')]));
  t.same(encodeText('ä€', 'windows-1252'), Buffer.from([0xe4, 0x80]));
  t.same(encodeText('Ω😀', 'windows-1252'), Buffer.from('&#937;&#128512;'), 'a character beyond the BMP is one reference');
  t.same(encodeText('ä€', 'utf-8'), Buffer.from('ä€'));
});

/** The charset a page was served in, from its Content-Type, and whether its <meta> says the same. */
function servedIn(t: Test, page: Page, charset: string) {
  t.equal(page.headers['content-type'], `text/html; charset=${charset}`, `${page.url}: served in ${charset}`);
  t.equal(page.$('meta[http-equiv="Content-Type"]').attr('content'), `text/html; charset=${charset}`, `${page.url}: the page says so too`);
}

t.test('a visitor chooses ISO-8859-1 once, by ?charset=, and keeps it', async (t) => {
  const { app } = await startApp(t);
  const visitor = new Browser(app);
  const signIn = await visitor.get('/sign-in');
  servedIn(t, signIn, 'utf-8');
  const link = signIn.$('a').filter((_, a) => signIn.$(a).text() === 'ISO-8859-1').attr('href');
  t.equal(link, '/sign-in?charset=iso-8859-1&next=%2F', 'the sign-in page offers it');
  const latin = await visitor.get(link!);
  servedIn(t, latin, 'iso-8859-1');
  t.equal(visitor.cookies.get('wami_charset'), 'iso-8859-1', 'remembered in a cookie');
  const again = await visitor.get('/sign-up');
  servedIn(t, again, 'iso-8859-1');
  t.ok(again.$('form').toArray().every((form) => again.$(form).find('input[name=_charset_]').attr('value') === 'iso-8859-1'),
    'every form says which charset it was served in');
  const raw = await app.inject({ url: '/sign-up', headers: { cookie: visitor.cookieHeader() } });
  const check = await validateHtml(raw.rawPayload, 'sign-up-latin1');
  t.ok(check.valid, 'the Latin-1 page is valid HTML 4.01', { report: check.report });

  servedIn(t, await visitor.get('/sign-in?charset=auto'), 'utf-8');
  t.notOk(visitor.cookies.has('wami_charset'), '"auto" forgets the choice');

  const unknown = await visitor.get('/sign-in?charset=koi8-r');
  t.equal(unknown.status, 400, 'a charset we do not serve');
  t.match(unknown.text, 'utf-8, iso-8859-1, windows-1252', 'the page names those we do');

  const asked = await app.inject({ url: '/sign-in', headers: { 'accept-charset': 'ISO-8859-1, *;q=0.1' } });
  t.match(asked.headers['content-type'], 'charset=iso-8859-1', 'a browser whose Accept-Charset prefers Latin-1 gets it');
  const links = await app.inject({ url: '/sign-in', headers: { 'accept-charset': 'us-ascii,ISO-8859-1,koi8-r,utf-8' } });
  t.match(links.headers['content-type'], 'charset=utf-8', 'Links lists UTF-8 among 35: UTF-8');
});

t.test('"ä" and "€" round-trip through UTF-8 and Latin pages, and the shared board page is kept per charset', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Kassa');
  board = await alice.submit(board, '/lists', { title: 'Päivä' });
  board = await alice.submit(board, '/cards', { title: 'ä€ UTF-8' });
  t.match(board.text, 'ä€ UTF-8', 'typed on a UTF-8 page');
  const titles = async () => await store.sql.column('SELECT title FROM cards ORDER BY sort');

  const profile = await alice.get('/profile');
  await alice.submit(profile, '/profile', { charset: 'iso-8859-1' });
  const amiga = await alice.get(boardPath(board));
  servedIn(t, amiga, 'iso-8859-1');
  t.match(amiga.text, 'ä€ UTF-8', 'the card reads right in the Latin-1 page');
  const bytes = (await app.inject({ url: boardPath(board), headers: { cookie: alice.cookieHeader() } })).rawPayload;
  t.ok(bytes.includes(Buffer.from([0xe4, ...Buffer.from('&#8364; UTF-8')])), '"ä" as its Latin-1 byte, "€" as a numeric reference');
  const valid = await validateHtml(bytes, 'board-latin1');
  t.ok(valid.valid, 'the Latin-1 board page is valid', { report: valid.report });

  // What browsers send from that page: a modern one ("€" in windows-1252) and a raw post as ELinks makes it.
  await alice.submit(amiga, '/cards', { title: 'ä€ from a Latin-1 page' });
  const addCard = formValues(amiga, '/cards', { title: '' });
  const elinks = await app.inject({
    method: 'POST', url: addCard.form.attr('action')!, payload: `${encode(addCard.values)}&title=%e4EUR+lower-case`,
    headers: { cookie: alice.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(elinks.statusCode, 303);
  t.same(await titles(), ['ä€ UTF-8', 'ä€ from a Latin-1 page', 'äEUR lower-case'], 'stored as typed');

  // Another member on UTF-8 gets the same board in UTF-8, not the cached Latin-1 page.
  const bob = await signUp(app, 'bob');
  await alice.submit(await alice.get(`${boardPath(board)}/members`), '/members', { username: 'bob' });
  const utf8 = await bob.get(boardPath(board));
  servedIn(t, utf8, 'utf-8');
  t.match(utf8.text, 'ä€ from a Latin-1 page');
  t.not(utf8.headers.etag, (await alice.get(boardPath(board))).headers.etag, 'different bytes, different tags');

  // A GET form (search) from the Latin-1 page.
  const found = await alice.submit(await alice.get('/global-search'), '/global-search', { q: 'Päivä' });
  servedIn(t, found, 'iso-8859-1');
  t.match(found.url, '_charset_=iso-8859-1&q=P%E4iv%E4', 'the query in Latin-1, as the browser sends it');
  t.match(found.$('input[name=q]').attr('value'), 'Päivä', 'read back right');
});

t.test('bytes invalid in the declared charset: replaced, saved, and said', async (t) => {
  const { app, store } = await startApp(t);
  const alice = await signUp(app, 'alice');
  let board = await createBoard(alice, 'Broken bytes');
  board = await alice.submit(board, '/lists', { title: 'To do' });
  const { form, values } = formValues(board, '/cards', { title: '' });
  const hidden = encode(values);
  const sent = await app.inject({
    method: 'POST', url: form.attr('action')!, payload: `${hidden}&title=Gr%FC%DFe`,
    headers: { cookie: alice.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(sent.statusCode, 303, 'saved, not refused');
  t.match(String(sent.headers.location), /[?&]replaced=1/, 'the next page is told');
  t.equal(await store.sql.value('SELECT title FROM cards'), 'Gr\ufffd\ufffde', 'each bad byte one replacement character');
  const next = await alice.get(String(sent.headers.location));
  t.equal(next.status, 200);
  t.match(next.text, 'Some characters you sent were not valid', 'a visible note');
  t.notMatch((await alice.get(boardPath(board))).text, 'Some characters you sent', 'only on that page');

  const refused = await app.inject({
    method: 'POST', url: form.attr('action')!, payload: `${hidden}&title=%FF`,
    headers: { cookie: alice.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.equal(refused.statusCode, 303, 'a title of one bad byte is still a title');
  const search = await alice.get('/global-search?q=%FF%FE');
  t.equal(search.status, 200, 'a broken query: no 500');
  t.match(search.text, 'Some characters you sent were not valid');
});
