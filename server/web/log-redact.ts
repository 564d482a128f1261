// Request URLs as the log may keep them: single-use secrets in paths and queries are blanked out, also
// where a path carrying one is itself a parameter (`next=%2Fenroll-account%2F…` after a sign-in).
const SECRETS: [RegExp, string][] = [
  [/\/(reset-password|enroll-account)\/[^/?#]+/g, '/$1/[redacted]'],
  [/%2F(reset-password|enroll-account)%2F[^&#%]+/gi, '%2F$1%2F[redacted]'],
  [/([?&](?:invite|access_token|authToken)=)[^&#]*/g, '$1[redacted]'],
];

export function redactUrl(url: string): string {
  return SECRETS.reduce((u, [pattern, replacement]) => u.replace(pattern, replacement), url);
}
