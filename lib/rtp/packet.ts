// RTP fixed header (RFC 3550 §5.1). CONTRACT (owned by lib/rtp).
export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
}
export interface RtpPacket extends RtpHeader {
  version: number;
  padding: boolean;
  extension: boolean;
  csrcs: number[];
  /** View into the datagram, padding and extension removed. */
  payload: Uint8Array;
}
export const RTP_HEADER_BYTES = 12;
/** Writes the 12-byte header at `offset` of `target` (no allocation: the hot path reuses buffers). */
export declare function writeRtpHeader(target: Uint8Array, offset: number, header: RtpHeader): void;
export declare function encodeRtp(header: RtpHeader, payload: Uint8Array): Uint8Array;
/** Returns an Error value (not thrown) for anything that is not a valid RTP v2 packet. */
export declare function decodeRtp(datagram: Uint8Array): RtpPacket | Error;
