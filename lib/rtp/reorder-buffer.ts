// Puts RTP packets back in sequence order within a small window. CONTRACT (owned by lib/rtp).
import type { RtpPacket } from "./packet.ts";
import { sequenceDistance } from "./sequence.ts";

const DEFAULT_WINDOW = 32;
/**
 * A packet this far behind is not a late straggler but a sender that restarted its numbering
 * (the MAX_MISORDER of RFC 3550 A.1); two such packets in sequence restart the buffer there.
 */
const MAX_MISORDER = 100;

/**
 * The buffer covers the sequence numbers [next, next + window). The first packet ever pushed sets
 * `next`; a packet beyond the window means the gap before it will not be filled in time, so the
 * buffer skips ahead, releasing what it holds in order and leaving the gap behind.
 */
export class ReorderBuffer {
  private readonly window: number;
  private readonly held = new Map<number, RtpPacket>();
  private next: number | undefined;
  /** Sequence number a sender restart would continue with (see MAX_MISORDER). */
  private restartCandidate: number | undefined;

  /** `first`: the sequence number the stream is known to start at (RTP-Info seq); by default the first packet's. */
  constructor(window = DEFAULT_WINDOW, first?: number) {
    if (!Number.isInteger(window) || window < 1 || window > 0x7fff) throw new RangeError(`reorder window ${window} is not in 1..32767`);
    this.window = window;
    if (first !== undefined) this.next = first & 0xffff;
  }

  /** Returns the packets now releasable, in order. Duplicates and packets older than released ones are discarded. */
  push(packet: RtpPacket): RtpPacket[] {
    const sequence = packet.sequenceNumber & 0xffff;
    if (this.next === undefined) {
      this.next = sequence;
    }
    const distance = sequenceDistance(this.next, sequence);
    if (distance < 0) return this.pushBehind(packet, sequence, distance);
    this.restartCandidate = undefined;
    if (this.held.has(sequence)) return [];
    this.held.set(sequence, packet);
    const released: RtpPacket[] = [];
    if (distance >= this.window) this.skipTo((sequence - this.window + 1) & 0xffff, released);
    this.releaseRun(released);
    return released;
  }

  /** Release everything held (end of stream). */
  drain(): RtpPacket[] {
    const released: RtpPacket[] = [];
    while (this.held.size > 0 && this.next !== undefined) {
      this.skipTo(this.nearestHeld(), released);
      this.releaseRun(released);
    }
    return released;
  }

  private pushBehind(packet: RtpPacket, sequence: number, distance: number): RtpPacket[] {
    if (-distance <= MAX_MISORDER) return [];
    const isRestart = this.restartCandidate === sequence;
    this.restartCandidate = (sequence + 1) & 0xffff;
    if (!isRestart) return [];
    const released = this.drain();
    this.next = sequence;
    this.held.set(sequence, packet);
    this.releaseRun(released);
    return released;
  }

  /** Moves `next` forward to `target`, releasing held packets met on the way. */
  private skipTo(target: number, released: RtpPacket[]): void {
    let next = this.next as number;
    while (next !== target) {
      const packet = this.held.get(next);
      if (packet) {
        this.held.delete(next);
        released.push(packet);
      }
      next = (next + 1) & 0xffff;
    }
    this.next = next;
  }

  private releaseRun(released: RtpPacket[]): void {
    let next = this.next as number;
    for (let packet = this.held.get(next); packet; packet = this.held.get(next)) {
      this.held.delete(next);
      released.push(packet);
      next = (next + 1) & 0xffff;
    }
    this.next = next;
  }

  private nearestHeld(): number {
    const next = this.next as number;
    let nearest = next;
    let nearestDistance = Infinity;
    for (const sequence of this.held.keys()) {
      const distance = sequenceDistance(next, sequence);
      if (distance < nearestDistance) {
        nearest = sequence;
        nearestDistance = distance;
      }
    }
    return nearest;
  }
}
