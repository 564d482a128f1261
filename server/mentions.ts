// @mentions in comments and card descriptions, read as a person would: after a start, a blank or an
// opening bracket, never inside an address such as a@b.org. Usernames may be almost anything WeKan
// takes (Step 13: "jane@example.org", "First Last", "o'neil"), so a mention is
//   @name       a run up to the next blank or quote, sentence punctuation at its end left out
//               ("@bob," and "(@bob)." mention bob; "@jane@example.org" mentions jane@example.org);
//   @"any name" quoted, for a name with blanks in it (or one ending in punctuation).
// Names are compared without case.

const MENTION = /(?:^|[\s([{<,;:!?'])@(?:"([^"\n]{1,64})"|([^\s"]+))/gu;
/** What may end a sentence or a bracket after an unquoted name: not part of it. */
const TRAILING = /[.,:;!?'")\]}>]+$/u;

/** Each username mentioned in `text`, once, lower-cased, in the order first written. */
export function mentionedUsernames(text: string): string[] {
  const names = [...text.matchAll(MENTION)].map((match) => (match[1] ?? match[2]!.replace(TRAILING, '')).trim().toLowerCase());
  return [...new Set(names.filter((name) => name !== ''))];
}

/** The usernames `after` mentions that `before` did not: an edit mails only the people it adds. */
export function newlyMentioned(before: string, after: string): string[] {
  const earlier = new Set(mentionedUsernames(before));
  return mentionedUsernames(after).filter((username) => !earlier.has(username));
}
