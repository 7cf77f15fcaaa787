// Colour as kubectl's terminal output has it (go-colortext's escapes), only when the stream is a
// terminal and NO_COLOR (https://no-color.org) is unset or empty.

export type Color = 'red' | 'green' | 'yellow' | 'blue';

const CODES: Record<Color, string> = { red: '31', green: '32', yellow: '33', blue: '34' };

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return !!stream.isTTY && !env.NO_COLOR;
}

/** A painter for one stream: text in the colour, or as it is when colour is off. */
export function painter(enabled: boolean): (color: Color, text: string) => string {
  return (color, text) => (enabled ? `\x1b[0;${CODES[color]}m${text}\x1b[0m` : text);
}
