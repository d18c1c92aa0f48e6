// The RTP-Info header (RFC 2326 §12.33). CONTRACT (owned by lib/rtsp).
export interface RtpInfoEntry {
  url: string;
  seq?: number;
  rtptime?: number;
}
export declare function parseRtpInfo(value: string): RtpInfoEntry[];
export declare function serializeRtpInfo(entries: RtpInfoEntry[]): string;
