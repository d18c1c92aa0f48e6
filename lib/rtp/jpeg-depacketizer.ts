// RFC 2435 RTP/JPEG → complete JPEG files, headers rebuilt (RFC 2435 Appendix A/B). CONTRACT (owned by lib/rtp).
import type { RtpPacket } from "./packet.ts";

export type DepacketizeResult =
  | { type: "frame"; jpeg: Uint8Array; timestamp: number; firstSequence: number }
  /** A frame that could not be completed (missing fragment, bad header): counted, never emitted. */
  | { type: "dropped"; timestamp: number; reason: string };

export declare class JpegDepacketizer {
  /** Feed packets in sequence order (the receiver's reorder buffer does that); returns what completed. */
  push(packet: RtpPacket): DepacketizeResult[];
}
