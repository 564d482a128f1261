// How much one request, one card or one board may hold wherever a loop runs over what a client sends.
// Each limit is far above what people make by hand (and above the largest WeKan boards seen), and low
// enough that the heaviest request within it keeps the server answering others
// (test/bench/limits.ts builds that request for each limit and measures it).
export const MAX = {
  /** Outgoing webhooks of one board: each change is one delivery per webhook. */
  webhooksPerBoard: 20,
} as const;
