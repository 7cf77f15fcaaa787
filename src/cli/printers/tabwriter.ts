// Column alignment exactly as Go's text/tabwriter does it, with the RememberWidths flag of the fork
// kubectl's printers use (github.com/liggitt/tabwriter). kubectl's layouts are a by-product of this
// algorithm: a column spans the run of consecutive lines that have a cell in it, so e.g. a
// describe table's first column lines up with the `Label:` lines written just before it. Matching
// the algorithm, rather than padding each section by hand, is what makes the text identical.

export interface TabWriterSettings {
  /** The narrowest a column gets, padding included. */
  readonly minWidth: number;
  /** Added to the widest cell of a column to make its width. */
  readonly padding: number;
  /** A column never narrows from one format to the next, as kubectl keeps it while watching. */
  readonly rememberWidths: boolean;
}

/** kubectl's printers.GetNewTabWriter, which `get`, `api-resources` and custom columns print through. */
export const PRINTER_SETTINGS: TabWriterSettings = { minWidth: 6, padding: 3, rememberWidths: true };

interface Cell {
  text: string;
  width: number;
}

export class TabWriter {
  private readonly rememberedWidths: number[] = [];

  constructor(private readonly settings: TabWriterSettings = PRINTER_SETTINGS) {}

  /**
   * Pads each cell to its column's width but the last of each line, which ends the line (Go's
   * cells are tab-terminated) and so is never padded.
   */
  alignLines(lines: string[][]): string[] {
    const cells = lines.map((line) => line.map((text): Cell => ({ text, width: [...text].length })));
    const out: string[] = [];
    this.formatBlock(cells, 0, cells.length, [], out);
    return out;
  }

  /** The aligned lines, each ended by a newline. */
  format(lines: string[][]): string {
    return this.alignLines(lines)
      .map((line) => `${line}\n`)
      .join('');
  }

  // Mirrors tabwriter's recursive format(): for the column after the known widths, find each run
  // of lines that have a cell there, size the column to the widest cell in the run, then recurse right.
  private formatBlock(lines: Cell[][], start: number, end: number, widths: number[], out: string[]): void {
    const column = widths.length;
    let pending = start;
    for (let i = start; i < end; i++) {
      if (column >= lines[i].length - 1) continue;
      writeLines(lines, pending, i, widths, out);
      let width = this.settings.minWidth;
      let blockEnd = i;
      for (; blockEnd < end && column < lines[blockEnd].length - 1; blockEnd++) {
        width = Math.max(width, lines[blockEnd][column].width + this.settings.padding);
      }
      if (this.settings.rememberWidths) {
        width = Math.max(width, this.rememberedWidths[column] ?? 0);
        this.rememberedWidths[column] = width;
      }
      this.formatBlock(lines, i, blockEnd, [...widths, width], out);
      pending = blockEnd;
      i = blockEnd - 1;
    }
    writeLines(lines, pending, end, widths, out);
  }
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
