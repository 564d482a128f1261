// Base64 in pieces, both ways, in constant memory: a stored file read as base64 text (exports, WeKan's
// JSON downloads), and base64 text that arrives in pieces of any length decoded to bytes (uploads, imports).
import fs from 'node:fs';

/** Bytes read per step: a multiple of 3, so each piece's base64 joins the next without padding. */
const FILE_PIECE = 3 * 64 * 1024;

/** The file at `path` as base64, a piece at a time. */
export async function* fileAsBase64(path: string): AsyncGenerator<string> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(path, { highWaterMark: FILE_PIECE })) {
    const bytes: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const whole = bytes.length - (bytes.length % 3);
    yield bytes.subarray(0, whole).toString('base64');
    carry = bytes.subarray(whole);
  }
  yield carry.toString('base64');
}

/** Base64 text in pieces as bytes: whole groups of four decoded as they come, the rest kept for the next piece. */
export class Base64Decoder {
  private carry = '';

  /** The bytes of `text` and what was kept before it; blanks (wrapped base64's line breaks) are skipped. */
  decode(text: string): Buffer {
    const all = (this.carry + text).replace(/\s+/g, '');
    const whole = all.length - (all.length % 4);
    this.carry = all.slice(whole);
    return Buffer.from(all.slice(0, whole), 'base64');
  }

  /** The bytes of what is left at the end. */
  end(): Buffer {
    const last = Buffer.from(this.carry, 'base64');
    this.carry = '';
    return last;
  }
}
