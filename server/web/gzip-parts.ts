// A gzip answer assembled from parts that were compressed once. A shared page is cut at its per-viewer
// slots (render.ts); each text part is deflated once, with a sync flush so it ends on a byte boundary,
// and each response adds its slot values as stored (uncompressed) deflate blocks. The parts together
// are one valid deflate stream (RFC 1951), wrapped in a gzip member (RFC 1952) whose CRC-32 covers the
// page as filled. zlib does the compressing and the checksum; only the framing is written here.
import zlib from 'node:zlib';

/** The text deflated on its own: non-final blocks, byte-aligned at the end, no reference to other parts. */
export function deflatePart(text: Buffer): Buffer {
  return zlib.deflateRawSync(text, { level: 6, finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

const STORED_MAX = 0xffff;

/** Bytes as stored deflate blocks (BFINAL 0, BTYPE 00): a header byte, LEN and its complement, the bytes. */
export function storedBlocks(bytes: Buffer): Buffer[] {
  const blocks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += STORED_MAX) {
    const chunk = bytes.subarray(at, at + STORED_MAX);
    const header = Buffer.alloc(5);
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(header, chunk);
  }
  return blocks;
}

/** gzip header: deflate, no name or time, unknown OS. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final block with fixed Huffman codes: ends the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** The gzip member for deflated pieces whose uncompressed text has this CRC-32 and length. */
export function gzipMember(deflated: Buffer[], crc: number, length: number): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length >>> 0, 4);
  return Buffer.concat([GZIP_HEADER, ...deflated, FINAL_BLOCK, trailer]);
}
