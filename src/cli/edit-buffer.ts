// The text `kubectl edit` puts in the editor: a commented header (with the reasons the last save
// failed, when it did) above the objects, and how it reads the saved text back: comment lines
// dropped, nothing left meaning "cancel".
import { ApiError } from '../api/errors.js';

export const EDIT_HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

export interface EditReason {
  head: string;
  other: string[];
}

function hashOnLinebreak(s: string): string {
  return s.replaceAll('\n', '\n# ');
}

export function editHeader(reasons: EditReason[]): string {
  let out = EDIT_HEADER;
  for (const r of reasons) {
    out += `# ${hashOnLinebreak(r.head)}${r.other.length ? ':' : ''}\n`;
    for (const o of r.other) out += `# * ${hashOnLinebreak(o)}\n`;
    out += '#\n';
  }
  return out;
}

/** kubectl's editReason: an invalid object lists its causes; any other error is its message. */
export function reasonFor(what: string, err: unknown): EditReason {
  if (err instanceof ApiError && err.reason === 'Invalid') {
    return { head: `${what} was not valid`, other: (err.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`) };
  }
  return { head: (err as Error).message, other: [] };
}

/** What kubectl prints at once when saving an object fails (results.addError). */
export function saveErrorLine(what: string, err: unknown): string {
  if (err instanceof ApiError && err.reason === 'Invalid') return `error: ${what} is invalid`;
  if (err instanceof ApiError && err.reason === 'NotFound') return `error: ${what} could not be found on the server`;
  return `error: ${what} could not be patched: ${(err as Error).message}`;
}

/** The text without its comment lines (a `#` first on the line, after any indentation). */
export function stripComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
}

/** How an editor command is run: through the shell when it has arguments, as kubectl does. */
export function editorArgv(env: NodeJS.ProcessEnv, file: string): string[] {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (editor.includes(' ')) return [env.SHELL || '/bin/sh', '-c', `${editor} ${JSON.stringify(file)}`];
  return [editor, file];
}
