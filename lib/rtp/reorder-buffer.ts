// Puts RTP packets back in sequence order within a small window. CONTRACT (owned by lib/rtp).
import type { RtpPacket } from "./packet.ts";
export declare class ReorderBuffer {
  constructor(window?: number);
  /** Returns the packets now releasable, in order. Duplicates and packets older than released ones are discarded. */
  push(packet: RtpPacket): RtpPacket[];
  /** Release everything held (end of stream). */
  drain(): RtpPacket[];
}
