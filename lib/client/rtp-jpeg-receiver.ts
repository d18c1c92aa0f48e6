// Standard-path media: RTP packets → reorder → RFC 2435 reassembly → whole JPEG frames, numbered from the RTP clock.
import { JpegDepacketizer } from "../rtp/jpeg-depacketizer.ts";
import { decodeRtp, JPEG_CLOCK_RATE, type RtpPacket } from "../rtp/packet.ts";
import { ReorderBuffer } from "../rtp/reorder-buffer.ts";
import type { MediaCallbacks } from "./dialect-driver.ts";

/** How many recent sequence numbers and finished frame timestamps to remember for telling late packets apart. */
const MEMORY = 1024;

export interface FrameClock {
  /** RTP timestamp of the first frame PLAY starts at (RTP-Info rtptime); undefined = take the first packet's. */
  rtpTime?: number;
  /** 1-based number of that frame (the PLAY range start × fps + 1). */
  firstFrame: number;
  fps: number;
  /** RTP-Info seq: the play's first packet; older ones still on their way belong to the play before. */
  sequence?: number;
}

/** A packet read while a PLAY was on its way, with its arrival time. */
interface HeldPacket {
  packet: RtpPacket;
  arrivalMs: number;
}

export class RtpJpegReceiver {
  private reorder = new ReorderBuffer();
  private depacketizer = new JpegDepacketizer();
  private clock: FrameClock = { firstFrame: 1, fps: 20 };
  /** When each recent sequence number arrived: a frame released later by the reorder buffer keeps its own time. */
  private readonly arrivals = new Map<number, number>();
  private readonly finishedTimestamps = new Set<number>();
  /** PLAYs on their way (two skips at once send two; only the last reply says where packets count from). */
  private playsOnTheirWay = 0;
  /** Packets read while any PLAY is on its way. */
  private held: HeldPacket[] = [];

  constructor(private readonly media: MediaCallbacks) {}

  /**
   * A PLAY is on its way: keep packets back until its reply is handled. A server may send the first packets right
   * behind the reply, so they can be read before it (over UDP, or in the reply's own TCP read); reassembled at once,
   * they would be numbered by the old play and then forgotten by `restart`.
   */
  holdForPlay(): void {
    this.playsOnTheirWay++;
  }

  /** The PLAY failed: what was held goes on as if nothing had been asked. */
  resume(): void {
    this.playAnswered();
  }

  /** The PLAY's reply: packets from now on, and those held for it, count from this clock; the old play's state goes. */
  restart(clock: FrameClock): void {
    this.clock = { ...clock };
    this.reorder = new ReorderBuffer(undefined, clock.sequence);
    this.depacketizer = new JpegDepacketizer();
    this.arrivals.clear();
    this.finishedTimestamps.clear();
    this.media.newPosition();
    this.playAnswered();
  }

  push(datagram: Uint8Array, arrivalMs: number): void {
    const packet = decodeRtp(datagram);
    if (packet instanceof Error) return;
    this.media.packet(packet.sequenceNumber, packet.timestamp, arrivalMs);
    if (this.playsOnTheirWay > 0) {
      if (this.held.length < MEMORY) this.held.push({ packet, arrivalMs });
      return;
    }
    this.accept(packet, arrivalMs);
  }

  /** The stream is over: what the reorder buffer still holds behind a gap will never be completed by it. */
  drain(): void {
    this.reassemble(this.reorder.drain());
  }

  /** The last PLAY on its way was answered: what was held goes on, under the clock that reply set. */
  private playAnswered(): void {
    this.playsOnTheirWay = Math.max(0, this.playsOnTheirWay - 1);
    if (this.playsOnTheirWay > 0) return;
    const held = this.held;
    this.held = [];
    for (const { packet, arrivalMs } of held) this.accept(packet, arrivalMs);
  }

  private accept(packet: RtpPacket, arrivalMs: number): void {
    this.clock.rtpTime ??= packet.timestamp;
    if (this.arrivals.has(packet.sequenceNumber)) return;
    this.arrivals.set(packet.sequenceNumber, arrivalMs);
    forgetOldest(this.arrivals);
    if (this.finishedTimestamps.has(packet.timestamp)) {
      this.media.latePacket();
      return;
    }
    this.reassemble(this.reorder.push(packet));
  }

  private reassemble(packets: RtpPacket[]): void {
    for (const ready of packets) {
      for (const result of this.depacketizer.push(ready)) {
        this.finishedTimestamps.add(result.timestamp);
        forgetOldest(this.finishedTimestamps);
        const arrivalMs = this.arrivals.get(ready.sequenceNumber) ?? performance.now();
        if (result.type === "frame") this.media.frame(this.frameNumber(result.timestamp), result.jpeg, arrivalMs);
        else this.media.droppedFrame(result.reason);
      }
    }
  }

  private frameNumber(timestamp: number): number {
    // Signed 32-bit difference: the RTP clock may wrap during a long stream.
    const ticks = (timestamp - (this.clock.rtpTime ?? timestamp)) | 0;
    return this.clock.firstFrame + Math.round((ticks * this.clock.fps) / JPEG_CLOCK_RATE);
  }
}

/** Keeps only the MEMORY most recent entries (insertion order is age). */
function forgetOldest(collection: Set<number> | Map<number, number>): void {
  if (collection.size > MEMORY) collection.delete(collection.keys().next().value!);
}
