// Shared pages sent gzip-compressed from parts deflated once (server/web/gzip-parts.ts, PageTemplate):
// whatever the slot values, the result must be what zlib itself reads back as the filled page.
import zlib from 'node:zlib';
import t from 'tap';
import { deflatePart, gzipMember, storedBlocks } from '../server/web/gzip-parts.js';
import { PageTemplate, SLOTS } from '../server/web/render.js';

t.test('deflated parts and stored blocks make one gzip stream that zlib reads back', async (t) => {
  const a = Buffer.from('<p>first part, '.repeat(300));
  const slot = Buffer.from('Ärrä € 名前');
  const b = Buffer.from('second part</p>'.repeat(200));
  const whole = Buffer.concat([a, slot, b]);
  const crc = zlib.crc32(b, zlib.crc32(slot, zlib.crc32(a)));
  const gz = gzipMember([deflatePart(a), ...storedBlocks(slot), deflatePart(b)], crc, whole.length);
  t.same(zlib.gunzipSync(gz), whole);
  t.ok(gz.length < whole.length / 5, 'the text parts are really compressed');
});

t.test('a slot value longer than one stored block (64 KiB) is split across blocks', async (t) => {
  const big = Buffer.alloc(150_000, 'x');
  const blocks = storedBlocks(big);
  t.equal(blocks.length, 6, 'three blocks, each a header and its bytes');
  const gz = gzipMember([deflatePart(Buffer.from('<p>')), ...blocks], zlib.crc32(big, zlib.crc32('<p>')), big.length + 3);
  t.same(zlib.gunzipSync(gz), Buffer.concat([Buffer.from('<p>'), big]));
});

t.test('an empty slot value and empty text parts still make a valid stream', async (t) => {
  t.same(storedBlocks(Buffer.alloc(0)), [], 'nothing to store');
  const template = new PageTemplate(`${SLOTS.user}${SLOTS.csrf}`);
  const values = { user: '', csrf: 'token', time: '', here: '', notice: '' };
  t.equal(zlib.gunzipSync(template.fillGzip(values)).toString(), 'token');
});

t.test('a page template gives the same page plain and gzipped, for each viewer', async (t) => {
  const html = `<p>Hello ${SLOTS.user}</p>${'<div class="card">Card</div>'.repeat(500)}<input value="${SLOTS.csrf}">` +
    `<p>${SLOTS.here}</p><p>updated ${SLOTS.time}</p>`;
  const template = new PageTemplate(html);
  for (const values of [
    { user: 'alice', csrf: 'aaaa', time: '10:00:00', here: 'Also here now: bob.', notice: '' },
    { user: 'bj&#246;rk', csrf: 'bbbb', time: '10:00:01', here: 'Nobody else is watching.', notice: '' },
  ]) {
    const plain = template.fill(values);
    const gz = template.fillGzip(values);
    t.same(zlib.gunzipSync(gz), plain, `${values.user}: the gzip answer is the plain page`);
    t.match(plain.toString(), `Hello ${values.user}`);
    t.equal(template.fillGzip(values), gz, 'asked again with the same values: the same bytes, not compressed anew');
  }
});
