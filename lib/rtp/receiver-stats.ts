// Per-source reception statistics the RFC 3550 way (A.1 sequence tracking, A.3 loss, A.8 jitter). CONTRACT (owned by lib/rtp).
import type { ReportBlock } from "./rtcp.ts";
import { SEQUENCE_MODULUS } from "./sequence.ts";

/** RFC 3550 A.1: a jump ahead smaller than this is loss; a step back smaller than MAX_MISORDER is reordering. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

/**
 * Unlike the RFC's sample code, `received` counts distinct packets: duplicates are counted apart,
 * so `lost` never goes negative because of them.
 */
export class ReceiverStats {
  private readonly clockRate: number;
  private started = false;
  private baseSequence = 0;
  private maxSequence = 0;
  private cycles = 0;
  /** A.1's bad_seq: the sequence number that would confirm a sender restart after a big jump. */
  private restartSequence = SEQUENCE_MODULUS + 1;
  /** Which of the sequence numbers behind maxSequence arrived, to tell duplicates from late packets. */
  private readonly seen = new Uint8Array(SEQUENCE_MODULUS);
  private receivedCount = 0;
  private duplicateCount = 0;
  private outOfOrderCount = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private jitterValue = 0;
  private previousArrival: number | undefined;
  private previousTimestamp = 0;

  /** clockRate: 90000 for JPEG. */
  constructor(clockRate: number) {
    this.clockRate = clockRate;
  }

  /** Record one arriving packet; `arrivalMs` is the local clock in ms. */
  record(sequenceNumber: number, rtpTimestamp: number, arrivalMs: number): void {
    const sequence = sequenceNumber & 0xffff;
    if (!this.started) {
      this.restart(sequence);
    } else if (!this.trackSequence(sequence)) {
      return;
    }
    this.receivedCount++;
    this.updateJitter(rtpTimestamp >>> 0, arrivalMs);
  }

  get received(): number {
    return this.receivedCount;
  }
  get expected(): number {
    return this.started ? this.extendedMax - this.baseSequence + 1 : 0;
  }
  get lost(): number {
    return this.expected - this.receivedCount;
  }
  get duplicates(): number {
    return this.duplicateCount;
  }
  get outOfOrder(): number {
    return this.outOfOrderCount;
  }
  /** Interarrival jitter in timestamp units (RFC 3550 A.8). */
  get jitter(): number {
    return this.jitterValue;
  }

  /** A report block for an RR; resets the interval counters used for fraction lost. */
  reportBlock(ssrc: number, lastSr: number, delaySinceLastSr: number): ReportBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.receivedCount - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.receivedCount;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      ssrc,
      fractionLost: Math.min(fractionLost, 255),
      cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, this.lost)),
      highestSequence: this.extendedMax >>> 0,
      jitter: Math.floor(this.jitterValue),
      lastSr,
      delaySinceLastSr,
    };
  }

  private get extendedMax(): number {
    return this.cycles + this.maxSequence;
  }

  /** RFC 3550 A.1 init_seq. */
  private restart(sequence: number): void {
    this.started = true;
    this.baseSequence = sequence;
    this.maxSequence = sequence;
    this.cycles = 0;
    this.restartSequence = SEQUENCE_MODULUS + 1;
    this.receivedCount = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.seen.fill(0);
    this.seen[sequence] = 1;
  }

  /** RFC 3550 A.1 update_seq without probation; returns whether the packet counts as received. */
  private trackSequence(sequence: number): boolean {
    const ahead = (sequence - this.maxSequence) & 0xffff;
    if (ahead === 0) {
      this.duplicateCount++;
      return false;
    }
    if (ahead < MAX_DROPOUT) {
      for (let step = this.maxSequence + 1; step <= this.maxSequence + ahead; step++) this.seen[step & 0xffff] = 0;
      if (sequence < this.maxSequence) this.cycles += SEQUENCE_MODULUS;
      this.maxSequence = sequence;
      this.seen[sequence] = 1;
      return true;
    }
    if (ahead <= SEQUENCE_MODULUS - MAX_MISORDER) {
      // A big jump: believe it only when the next packet follows it (the sender restarted).
      if (sequence !== this.restartSequence) {
        this.restartSequence = (sequence + 1) & 0xffff;
        return false;
      }
      this.restart(sequence);
      return true;
    }
    if (this.seen[sequence]) {
      this.duplicateCount++;
      return false;
    }
    this.seen[sequence] = 1;
    this.outOfOrderCount++;
    return true;
  }

  /** RFC 3550 A.8, with the transit difference taken as two deltas so 32-bit timestamp wrap does no harm. */
  private updateJitter(timestamp: number, arrivalMs: number): void {
    if (this.previousArrival !== undefined) {
      const arrivalDelta = ((arrivalMs - this.previousArrival) * this.clockRate) / 1000;
      const timestampDelta = (timestamp - this.previousTimestamp) | 0;
      const transitDelta = Math.abs(arrivalDelta - timestampDelta);
      this.jitterValue += (transitDelta - this.jitterValue) / 16;
    }
    this.previousArrival = arrivalMs;
    this.previousTimestamp = timestamp;
  }
}
