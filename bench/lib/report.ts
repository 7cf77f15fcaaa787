// What every benchmark prints: medians and percentiles, and one PASS/MISS line per figure.

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export function line(name: string, value: string, target: string, ok: boolean): void {
  process.stdout.write(`${ok ? 'PASS' : 'MISS'}  ${name.padEnd(52)} ${value.padEnd(44)} target ${target}\n`);
}
