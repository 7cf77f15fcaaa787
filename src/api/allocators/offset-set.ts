// Which offsets of a contiguous range (addresses of a CIDR, ports of a port range) are taken.
// Dynamic picks start at a random offset in the upper part of the range and fall back to the
// lower part, as Kubernetes' allocators do since 1.27, so that the lower part stays free for
// values users ask for explicitly.

export class OffsetSet {
  private readonly taken = new Set<number>();

  /** size: how many offsets; staticBand: how many low offsets dynamic picks avoid while the rest has room. */
  constructor(
    readonly size: number,
    private readonly staticBand = 0,
    private readonly random: () => number = Math.random,
  ) {}

  has(offset: number): boolean {
    return this.taken.has(offset);
  }

  get count(): number {
    return this.taken.size;
  }

  /** Takes offset; false when it already is. */
  take(offset: number): boolean {
    if (this.taken.has(offset)) return false;
    this.taken.add(offset);
    return true;
  }

  release(offset: number): void {
    this.taken.delete(offset);
  }

  /** A free offset not in `skip` (offsets kept for someone), taken; undefined when the range is full. */
  takeAny(skip: ReadonlySet<number> = new Set()): number | undefined {
    const found = this.scan(this.staticBand, this.size, skip) ?? this.scan(0, this.staticBand, skip);
    if (found !== undefined) this.taken.add(found);
    return found;
  }

  /** The lowest free offset not in `skip`, taken: for addresses people read and should expect. */
  takeLowest(skip: ReadonlySet<number> = new Set()): number | undefined {
    for (let offset = 0; offset < this.size; offset++) {
      if (!this.taken.has(offset) && !skip.has(offset)) {
        this.taken.add(offset);
        return offset;
      }
    }
    return undefined;
  }

  /** From a random start in [from, to), the first free offset, wrapping around once. */
  private scan(from: number, to: number, skip: ReadonlySet<number>): number | undefined {
    const width = to - from;
    if (width <= 0) return undefined;
    const start = Math.floor(this.random() * width);
    for (let i = 0; i < width; i++) {
      const offset = from + ((start + i) % width);
      if (!this.taken.has(offset) && !skip.has(offset)) return offset;
    }
    return undefined;
  }
}
