// WeKan's colour names (shared/wekan-api.md): boards have their own palette; cards and labels share one.
export const BOARD_COLORS = [
  'belize', 'nephritis', 'pomegranate', 'pumpkin', 'wisteria', 'moderatepink', 'strongcyan', 'limegreen',
  'midnight', 'dark', 'relax', 'corteza', 'clearblue', 'natural', 'modern', 'moderndark', 'exodark',
  'cleandark', 'cleanlight',
] as const;

export const CARD_COLORS = [
  'white', 'green', 'yellow', 'orange', 'red', 'purple', 'blue', 'sky', 'lime', 'pink', 'black', 'silver',
  'peachpuff', 'crimson', 'plum', 'darkgreen', 'slateblue', 'magenta', 'gold', 'navy', 'gray', 'saddlebrown',
  'paleturquoise', 'mistyrose', 'indigo',
] as const;

export function isBoardColor(value: string): boolean {
  return (BOARD_COLORS as readonly string[]).includes(value);
}

export function isCardColor(value: string): boolean {
  return (CARD_COLORS as readonly string[]).includes(value);
}
