// Column alignment exactly as Go's text/tabwriter does it with kubectl describe's settings
// (minwidth 0, tabwidth 8, padding 2, pad char ' ', no flags). kubectl's output layout is a
// by-product of this algorithm: a column spans the run of consecutive lines that have a cell in
// it, so e.g. a table's first column lines up with the `Label:` lines written just before it.
// Matching the algorithm, rather than padding each section by hand, is what makes the text identical.

const PADDING = 2;

interface Cell {
  text: string;
  width: number;
}

/** Aligns tab-separated cells; the last cell of each line is not tab-terminated and never padded. */
export function alignTabs(text: string): string {
  const lines = text.split('\n').map((line) => line.split('\t').map((c): Cell => ({ text: c, width: [...c].length })));
  const out: string[] = [];
  formatBlock(lines, 0, lines.length, [], out);
  return out.join('\n');
}

// Mirrors tabwriter's recursive format(): for the column after the known widths, find each run of
// lines that have a cell there, size the column to the widest cell in the run, then recurse right.
function formatBlock(lines: Cell[][], start: number, end: number, widths: number[], out: string[]): void {
  const column = widths.length;
  let pending = start;
  for (let i = start; i < end; i++) {
    if (column >= lines[i].length - 1) continue;
    writeLines(lines, pending, i, widths, out);
    let width = 0;
    let blockEnd = i;
    for (; blockEnd < end && column < lines[blockEnd].length - 1; blockEnd++) {
      width = Math.max(width, lines[blockEnd][column].width + PADDING);
    }
    formatBlock(lines, i, blockEnd, [...widths, width], out);
    pending = blockEnd;
    i = blockEnd - 1;
  }
  writeLines(lines, pending, end, widths, out);
}

function writeLines(lines: Cell[][], start: number, end: number, widths: number[], out: string[]): void {
  for (let i = start; i < end; i++) {
    out.push(
      lines[i]
        .map((cell, j) => (j < widths.length ? cell.text + ' '.repeat(widths[j] - cell.width) : cell.text))
        .join(''),
    );
  }
}
