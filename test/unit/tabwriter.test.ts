import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRINTER_SETTINGS, TabWriter } from '../../src/cli/printers/tabwriter.js';

const DESCRIBE_LIKE = { minWidth: 0, padding: 2, rememberWidths: false };

test('aligns each run of lines that reach a column, with the minimum width and padding given', () => {
  const cases: Array<[string, typeof PRINTER_SETTINGS, string[][], string]> = [
    ['printer columns are at least 6 wide, padded by 3', PRINTER_SETTINGS, [['A', 'B'], ['long-name', 'x']], 'A           B\nlong-name   x\n'],
    ['without a minimum, the widest cell plus padding', DESCRIBE_LIKE, [['A', 'B'], ['long', 'x']], 'A     B\nlong  x\n'],
    ['a line without a second cell splits the column', DESCRIBE_LIKE, [['a', '1'], ['Section:'], ['longer', '2']], 'a  1\nSection:\nlonger  2\n'],
    ['the last cell of a line is in no column', PRINTER_SETTINGS, [['a', 'b', 'c'], ['aa', 'bbbbbbb']], 'a     b     c\naa    bbbbbbb\n'],
  ];
  for (const [why, settings, lines, expected] of cases) assert.equal(new TabWriter(settings).format(lines), expected, why);
});

test('remembered widths only grow, from one format to the next', () => {
  const writer = new TabWriter(PRINTER_SETTINGS);
  assert.equal(writer.format([['a-long-name', 'x']]), 'a-long-name   x\n');
  assert.equal(writer.format([['b', 'y']]), 'b             y\n');
  const forgetful = new TabWriter(DESCRIBE_LIKE);
  forgetful.format([['a-long-name', 'x']]);
  assert.equal(forgetful.format([['b', 'y']]), 'b  y\n');
});
