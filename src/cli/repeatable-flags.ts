// cobra's two kinds of list flag, for commander: StringArray keeps each value whole, StringSlice
// also splits each value at commas (`--verb=get,list`).

export const stringArray = (v: string, prev: string[]): string[] => [...prev, v];

export const stringSlice = (v: string, prev: string[]): string[] => [...prev, ...(v === '' ? [] : v.split(','))];

/** A map flag (`--aggregation-rule=a=b,c=d`). */
export const stringToString = (v: string, prev: Record<string, string>): Record<string, string> => {
  const out = { ...prev };
  for (const pair of v.split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new Error(`${pair} must be formatted as key=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
};
