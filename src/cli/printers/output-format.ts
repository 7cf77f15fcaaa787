// The `-o` flag's value, parsed. Kept apart from the printers so `kctl get`'s table path does not
// load the YAML, JSONPath and custom-columns printers.
export type OutputFormat =
  /** No `-o` (`wide: false`) or `-o wide`. */
  | { type: 'table'; wide: boolean }
  | { type: 'json' }
  | { type: 'yaml' }
  | { type: 'name' }
  /** `-o jsonpath=`, or `-o jsonpath-as-json=` (`asJson`) which prints results as a JSON array. */
  | { type: 'jsonpath'; template: string; asJson: boolean }
  | { type: 'jsonpath-file'; path: string }
  | { type: 'custom-columns'; spec: string }
  | { type: 'custom-columns-file'; path: string };

export type ObjectFormat = Exclude<OutputFormat, { type: 'table' }>;

const ALLOWED = 'custom-columns,custom-columns-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,wide,yaml';

/** Parses the value of `-o`; undefined or empty means the default table. */
export function parseOutputFormat(spec: string | undefined): OutputFormat {
  if (!spec) return { type: 'table', wide: false };
  const eq = spec.indexOf('=');
  const name = eq < 0 ? spec : spec.slice(0, eq);
  const arg = eq < 0 ? '' : spec.slice(eq + 1);
  switch (name) {
    case 'wide':
    case 'json':
    case 'yaml':
    case 'name':
      if (eq >= 0) break;
      return name === 'wide' ? { type: 'table', wide: true } : { type: name };
    case 'jsonpath':
    case 'jsonpath-as-json':
      if (!arg) throw new Error('template format specified but no template given');
      return { type: 'jsonpath', template: arg, asJson: name === 'jsonpath-as-json' };
    case 'jsonpath-file':
      if (!arg) throw new Error('template format specified but no template file given');
      return { type: 'jsonpath-file', path: arg };
    case 'custom-columns':
      if (!arg) throw new Error('custom-columns format specified but no custom columns given');
      return { type: 'custom-columns', spec: arg };
    case 'custom-columns-file':
      if (!arg) throw new Error('custom-columns-file format specified but no custom columns file given');
      return { type: 'custom-columns-file', path: arg };
  }
  throw new Error(`unable to match a printer suitable for the output format "${spec}", allowed formats are: ${ALLOWED}`);
}
