// Words glued to links, buttons and lists as a browser shows them ("Pages inISO-8859-1", "Language:English
// |Deutsch", "UTC)| Settings", "comments.[Watch]"): the text right beside a link, button or select, on
// the same line, touches it where a reader needs a space.
import type { CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';

/** What may touch an element on its left: an opening bracket or quote, a sign that starts a word. */
const MAY_PRECEDE = /[([{"'“‘«@#/\-+~]$/u;
/** What may touch it on its right: closing punctuation. */
const MAY_FOLLOW = /^[)\]}"'”’».,;:!?%/\-…]/u;

const CONTROLS = 'a[href], button, select, input[type=submit], input[type=reset]';

function isText(node: AnyNode | null | undefined): node is AnyNode & { data: string } {
  return !!node && node.type === 'text';
}

/** A form's hidden fields are not shown: the neighbour a reader sees is past them. */
function isHidden($: CheerioAPI, node: AnyNode | null | undefined): boolean {
  return !!node && node.type === 'tag' && $(node).is('input[type=hidden]');
}

function shownSibling($: CheerioAPI, node: AnyNode | null, step: 'prev' | 'next'): AnyNode | null {
  let at = node;
  while (at && (isHidden($, at) || (isText(at) && at.data === ''))) at = at[step];
  return at;
}

/** Each place where a link, button or select touches a word, as "…before[element]after…". */
export function gluedWords($: CheerioAPI): string[] {
  const found: string[] = [];
  $(CONTROLS).each((_, el) => {
    const element = $(el);
    const shown = (element.is('input') ? String(element.attr('value') ?? '') : element.text()).trim();
    if (!shown) return; // a picture link or an empty box: nothing to read
    const before = shownSibling($, el.prev, 'prev');
    const after = shownSibling($, el.next, 'next');
    const left = isText(before) ? before.data : '';
    const right = isText(after) ? after.data : '';
    // a separator between links wants a blank on each side: "UTC)| Settings" glues it to the word before
    const touchesLeft = isText(before) && left.length > 0 && ((!/\s$/.test(left) && !MAY_PRECEDE.test(left)) || /\S\|\s*$/.test(left));
    const touchesRight = isText(after) && right.length > 0 && ((!/^\s/.test(right) && !MAY_FOLLOW.test(right)) || /^\s*\|\S/.test(right));
    // two controls side by side with nothing between them read as one word too
    const touchesNext = !!after && after.type === 'tag' && $(after).is(CONTROLS) && ($(after).is('input') ? String($(after).attr('value') ?? '') : $(after).text()).trim() !== '';
    if (touchesLeft || touchesRight || touchesNext) {
      found.push(`${left.slice(-20)}[${shown.slice(0, 30)}]${touchesNext ? `[${$(after!).text().trim().slice(0, 20)}]` : right.slice(0, 20)}`);
    }
  });
  return found;
}
