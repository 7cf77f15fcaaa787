// Node ports of the --service-node-port-range handed out one by one, with Kubernetes' texts.
import { AllocationError } from './ip-range-allocator.js';
import { OffsetSet } from './offset-set.js';

export interface PortRange {
  min: number;
  max: number;
}

export class PortRangeAllocator {
  private readonly offsets: OffsetSet;

  constructor(
    readonly range: PortRange,
    random?: () => number,
  ) {
    const size = range.max - range.min + 1;
    this.offsets = new OffsetSet(size, staticBand(size), random);
  }

  has(port: number): boolean {
    return this.offsets.has(port - this.range.min);
  }

  get allocatedCount(): number {
    return this.offsets.count;
  }

  allocate(port: number): void {
    if (port < this.range.min || port > this.range.max) {
      throw new AllocationError(`provided port is not in the valid range. The range of valid ports is ${this.range.min}-${this.range.max}`);
    }
    if (!this.offsets.take(port - this.range.min)) throw new AllocationError('provided port is already allocated');
  }

  allocateNext(): number {
    const offset = this.offsets.takeAny();
    if (offset === undefined) throw new AllocationError('range is full', true);
    return this.range.min + offset;
  }

  release(port: number): void {
    if (port >= this.range.min && port <= this.range.max) this.offsets.release(port - this.range.min);
  }
}

/** Kubernetes' node port static band: min(max(16, size/32), 128) low ports. */
function staticBand(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}
