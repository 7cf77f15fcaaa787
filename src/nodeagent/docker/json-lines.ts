// Newline-delimited JSON, as the engine streams events and the progress of image builds and imports,
// arriving in chunks that cut messages (and UTF-8 characters) anywhere.
import { StringDecoder } from 'node:string_decoder';

export async function* jsonLines<T>(source: AsyncIterable<Uint8Array>): AsyncGenerator<T> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of source) {
    pending += decoder.write(Buffer.from(chunk));
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
  const last = (pending + decoder.end()).trim();
  if (last) yield JSON.parse(last) as T;
}
