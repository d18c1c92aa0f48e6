// RTCP (RFC 3550 §6): SR, RR, SDES CNAME, BYE, compound packets. CONTRACT (owned by lib/rtp).
export interface ReportBlock {
  ssrc: number;
  fractionLost: number; // 0..255
  cumulativeLost: number;
  highestSequence: number; // extended
  jitter: number; // in timestamp units
  lastSr: number; // middle 32 bits of the NTP time of the last SR
  delaySinceLastSr: number; // 1/65536 s
}
export type RtcpPacket =
  | { type: "sr"; ssrc: number; ntpTime: bigint; rtpTime: number; packetCount: number; octetCount: number; reports: ReportBlock[] }
  | { type: "rr"; ssrc: number; reports: ReportBlock[] }
  | { type: "sdes"; chunks: { ssrc: number; cname?: string }[] }
  | { type: "bye"; ssrcs: number[]; reason?: string }
  | { type: "unknown"; packetType: number };

export declare function encodeRtcp(packets: RtcpPacket[]): Uint8Array;
/** Returns an Error value for a malformed compound packet. */
export declare function decodeRtcp(datagram: Uint8Array): RtcpPacket[] | Error;
/** 64-bit NTP timestamp for a wall-clock time in ms since the Unix epoch. */
export declare function ntpFromUnixMs(ms: number): bigint;
