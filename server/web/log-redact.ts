// Request URLs as the log may keep them: single-use secrets in paths and queries are blanked out.
const SECRETS: [RegExp, string][] = [
  [/\/reset-password\/[^/?#]+/g, '/reset-password/[redacted]'],
  [/([?&](?:invite|access_token|authToken)=)[^&#]*/g, '$1[redacted]'],
];

export function redactUrl(url: string): string {
  return SECRETS.reduce((u, [pattern, replacement]) => u.replace(pattern, replacement), url);
}
