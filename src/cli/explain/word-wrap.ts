// The text helpers of kubectl explain's template: go-wordwrap's WrapString (sprig's `wrap`) and
// sprig's `indent`.

const NBSP = '\u00a0';

function isSpace(ch: string): boolean {
  return /\s/u.test(ch) && ch !== NBSP;
}

/** Breaks lines at white space so they fit in `limit` columns where a word allows it. */
export function wrapString(s: string, limit: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let space = '';
  const wordLen = () => [...word].length;
  const spaceLen = () => [...space].length;
  for (const ch of s) {
    if (ch === '\n') {
      if (word.length === 0) {
        if (current + spaceLen() <= limit) out += space;
      } else {
        out += space + word;
      }
      space = '';
      word = '';
      out += ch;
      current = 0;
    } else if (isSpace(ch)) {
      if (space.length === 0 || word.length > 0) {
        current += spaceLen() + wordLen();
        out += space + word;
        space = '';
        word = '';
      }
      space += ch;
    } else {
      word += ch;
      if (current + spaceLen() + wordLen() > limit && wordLen() < limit) {
        out += '\n';
        current = 0;
        space = '';
      }
    }
  }
  if (word.length === 0) {
    if (current + spaceLen() <= limit) out += space;
  } else {
    out += space + word;
  }
  return out;
}

/** Every line prefixed with n spaces (the first too). */
export function indent(s: string, n: number): string {
  const pad = ' '.repeat(n);
  return pad + s.replaceAll('\n', `\n${pad}`);
}
