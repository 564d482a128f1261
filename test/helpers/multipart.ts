// Multipart bodies as real browsers write them, quirks included (measured in
// ../shared/tools/retro/facts-measured.md): Dillo quotes the boundary and ends without a CRLF after
// the closing boundary; Lynx sends the whole local path as the file name. Built byte by byte on
// purpose: the point is to send exactly those bytes, which a form library would tidy up.

export interface FilePart {
  field?: string;
  /** The name as the browser writes it, as raw bytes when a Buffer (a Latin-1 page, say). */
  filename: string | Buffer;
  content: Buffer | string;
  type?: string;
}

export interface MultipartStyle {
  boundary?: string;
  /** Dillo: boundary="…" in the Content-Type header. */
  quotedBoundary?: boolean;
  /** false as Dillo: nothing after the closing boundary. */
  finalCrlf?: boolean;
  /** The fields after the files (no browser does this with our forms; a forged post might). */
  fieldsLast?: boolean;
}

export function multipart(fields: [string, string][], files: FilePart[], style: MultipartStyle = {})
  : { body: Buffer; contentType: string } {
  const boundary = style.boundary ?? '----wamitest7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  const fieldParts = fields.map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (!style.fieldsLast) chunks.push(...fieldParts);
  for (const file of files) {
    const filename = typeof file.filename === 'string' ? Buffer.from(file.filename, 'utf8') : file.filename;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="`),
      filename, Buffer.from(`"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`),
      Buffer.from(file.content), Buffer.from('\r\n'));
  }
  if (style.fieldsLast) chunks.push(...fieldParts);
  chunks.push(Buffer.from(`--${boundary}--${style.finalCrlf === false ? '' : '\r\n'}`));
  const contentType = `multipart/form-data; boundary=${style.quotedBoundary ? `"${boundary}"` : boundary}`;
  return { body: Buffer.concat(chunks), contentType };
}
