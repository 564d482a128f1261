// @username mentions in comments and card descriptions, read as a person would: after a start, a space
// or punctuation, never inside an address such as a@b.org. Names are compared without case.

const MENTION = /(?:^|[^\w@.])@([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z0-9])/g;

/** Each username mentioned in `text`, once, lower-cased, in the order first written. */
export function mentionedUsernames(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((match) => match[1]!.toLowerCase()))];
}

/** The usernames `after` mentions that `before` did not: an edit mails only the people it adds. */
export function newlyMentioned(before: string, after: string): string[] {
  const earlier = new Set(mentionedUsernames(before));
  return mentionedUsernames(after).filter((username) => !earlier.has(username));
}
