// Frame arrivals of one measured stream, kept in two typed arrays rather than an object per frame. At 1000 streams
// the measurer records 20,000 frames a second; as objects they survived into every young-generation collection,
// which then paused the measuring event loop for up to 5.8 ms (seen with BUN_JSC_logGC=1) and stamped the frames
// that waited behind it late.
import type { FrameArrival } from "../client/frame-timing.ts";

const INITIAL_CAPACITY = 512;

export class ArrivalLog {
  private numbers = new Int32Array(INITIAL_CAPACITY);
  private times = new Float64Array(INITIAL_CAPACITY);
  private count = 0;

  get length(): number {
    return this.count;
  }

  add(number: number, arrivalMs: number): void {
    if (this.count === this.numbers.length) this.grow();
    this.numbers[this.count] = number;
    this.times[this.count] = arrivalMs;
    this.count++;
  }

  /** The arrivals from `startMs` to `endMs` (both included), in arrival order. */
  between(startMs = Number.NEGATIVE_INFINITY, endMs = Number.POSITIVE_INFINITY): FrameArrival[] {
    const frames: FrameArrival[] = [];
    for (let i = 0; i < this.count; i++) {
      const arrivalMs = this.times[i];
      if (arrivalMs >= startMs && arrivalMs <= endMs) frames.push({ number: this.numbers[i], arrivalMs });
    }
    return frames;
  }

  private grow(): void {
    const numbers = new Int32Array(this.numbers.length * 2);
    const times = new Float64Array(this.times.length * 2);
    numbers.set(this.numbers);
    times.set(this.times);
    this.numbers = numbers;
    this.times = times;
  }
}
