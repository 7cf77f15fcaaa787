// Pure: reads Prometheus' text exposition format (version 0.0.4), as the API server reads the node
// agents' /metrics/resource and as tests check what /metrics serves. Comments (HELP, TYPE) are
// checked for shape and skipped; every sample line becomes a name, its labels and its value.

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  timestamp?: number;
}

export class PromParseError extends Error {}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string, line: number): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
  }
  const v = Number(text);
  if (text === '' || Number.isNaN(v)) throw new PromParseError(`line ${line}: ${JSON.stringify(text)} is not a number`);
  return v;
}

/** The labels between `{` and `}` starting at `at`; answers them and the index after the `}`. */
function parseLabels(s: string, at: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at + 1;
  for (;;) {
    while (s[i] === ' ') i++;
    if (s[i] === '}') return { labels, end: i + 1 };
    const name = LABEL_NAME.exec(s.slice(i))?.[0];
    if (!name) throw new PromParseError(`line ${line}: a label name is expected at column ${i + 1}`);
    i += name.length;
    if (s[i] !== '=' || s[i + 1] !== '"') throw new PromParseError(`line ${line}: label ${name} needs ="value"`);
    i += 2;
    let value = '';
    for (;;) {
      const c = s[i++];
      if (c === undefined) throw new PromParseError(`line ${line}: the value of label ${name} is not closed`);
      if (c === '"') break;
      if (c === '\\') {
        const e = s[i++];
        value += e === 'n' ? '\n' : e;
      } else value += c;
    }
    labels[name] = value;
    while (s[i] === ' ') i++;
    if (s[i] === ',') i++;
    else if (s[i] !== '}') throw new PromParseError(`line ${line}: , or } is expected after label ${name}`);
  }
}

export function parsePrometheusText(text: string): PromSample[] {
  const out: PromSample[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const s = lines[n].trim();
    if (!s) continue;
    if (s.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(s);
      if (m && !NAME.test(m[2])) throw new PromParseError(`line ${n + 1}: ${m[2]} is not a metric name`);
      if (m?.[1] === 'TYPE' && !['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(m[3] ?? '')) {
        throw new PromParseError(`line ${n + 1}: unknown metric type ${m[3]}`);
      }
      continue;
    }
    const name = NAME.exec(s)?.[0];
    if (!name) throw new PromParseError(`line ${n + 1}: a metric name is expected`);
    let i = name.length;
    let labels: Record<string, string> = {};
    if (s[i] === '{') ({ labels, end: i } = parseLabels(s, i, n + 1));
    const tail = s.slice(i).trim();
    const rest = tail ? tail.split(/\s+/) : [];
    if (rest.length < 1 || rest.length > 2 || (s[i] !== ' ' && s[i] !== '\t')) throw new PromParseError(`line ${n + 1}: expected a value after ${name}`);
    const sample: PromSample = { name, labels, value: parseValue(rest[0], n + 1) };
    if (rest[1] !== undefined) {
      const ts = Number(rest[1]);
      if (!Number.isInteger(ts)) throw new PromParseError(`line ${n + 1}: ${JSON.stringify(rest[1])} is not a timestamp`);
      sample.timestamp = ts;
    }
    out.push(sample);
  }
  return out;
}
