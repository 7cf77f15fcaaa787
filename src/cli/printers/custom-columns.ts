// `-o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image` and
// `-o custom-columns-file=`, as kubectl's CustomColumnsPrinter: one row per object, several
// values in a cell joined by commas, `<none>` when the path finds nothing.
import type { KubeObject } from '../../api/types.js';
import { JsonPath, goSprint, relaxedJsonPathExpression } from '../../api/printers/jsonpath.js';
import { alignColumns, escapeTerminal } from './text-table.js';

export interface CustomColumn {
  header: string;
  /** A jsonpath template, `{.metadata.name}`. */
  fieldSpec: string;
}

/** `NAME:.metadata.name,IMAGE:.spec.containers[*].image`; headers stay as written. */
export function parseCustomColumnsSpec(spec: string): CustomColumn[] {
  if (spec === '') throw new Error('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new Error(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), fieldSpec: relaxedJsonPathExpression(part.slice(colon + 1)) };
  });
}

/** A custom-columns file: a line of headers, then a line of paths, both separated by whitespace. */
export function parseCustomColumnsTemplate(text: string): CustomColumn[] {
  const lines = text.split(/\r?\n/);
  // Like Go's line scanner: a final newline does not start another line.
  if (lines.at(-1) === '') lines.pop();
  const expected = 'Expected format is one line of space separated headers, one line of space separated column specs.';
  if (lines.length < 1) throw new Error(`invalid template, missing header line. ${expected}`);
  if (lines.length < 2) throw new Error(`invalid template, missing spec line. ${expected}`);
  const headers = splitOnWhitespace(lines[0]);
  const specs = splitOnWhitespace(lines[1]);
  if (headers.length !== specs.length) {
    throw new Error(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  }
  return headers.map((header, i) => ({ header, fieldSpec: relaxedJsonPathExpression(specs[i]) }));
}

function splitOnWhitespace(line: string): string[] {
  return line.split(/\s+/).filter((s) => s !== '');
}

/** The aligned table: a header line unless `noHeaders`, then one line per object. */
export function printCustomColumns(objects: KubeObject[], columns: CustomColumn[], opts: { noHeaders?: boolean } = {}): string {
  const paths = columns.map((c) => new JsonPath(c.fieldSpec, { allowMissingKeys: true }));
  const lines: string[][] = opts.noHeaders ? [] : [columns.map((c) => c.header)];
  for (const obj of objects) {
    lines.push(
      paths.map((path) => {
        const results = path.findResults(obj);
        if (results.length === 0 || results[0].length === 0) return '<none>';
        return results
          .flat()
          .map((value) => escapeTerminal(goSprint(value)))
          .join(',');
      }),
    );
  }
  return alignColumns(lines);
}
