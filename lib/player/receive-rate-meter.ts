// Frames per second over the last second of arrivals: what the stream delivers now, not the run's average.

const WINDOW_MS = 1000;

export class ReceiveRateMeter {
  private readonly arrivals: number[] = [];

  record(arrivalMs: number): void {
    this.arrivals.push(arrivalMs);
    this.forgetBefore(arrivalMs - WINDOW_MS);
  }

  framesPerSecond(nowMs: number): number {
    this.forgetBefore(nowMs - WINDOW_MS);
    return (this.arrivals.length * 1000) / WINDOW_MS;
  }

  private forgetBefore(limitMs: number): void {
    while (this.arrivals.length > 0 && this.arrivals[0] <= limitMs) this.arrivals.shift();
  }
}
