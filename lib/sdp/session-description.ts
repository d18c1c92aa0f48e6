// SDP (RFC 4566): what our server describes and what our client reads. CONTRACT (owned by lib/sdp).
export interface MediaDescription {
  type: string; // "video"
  port: number;
  protocol: string; // "RTP/AVP"
  formats: number[];
  control?: string;
  rtpmap: { payloadType: number; encoding: string; clockRate: number }[];
  framerate?: number;
  attributes: [name: string, value: string | undefined][];
}
export interface SessionDescription {
  origin?: string;
  sessionName?: string;
  control?: string;
  /** From a=range:npt=start-end, seconds. */
  range?: { start: number; end?: number };
  attributes: [name: string, value: string | undefined][];
  media: MediaDescription[];
}
export interface JpegStreamDescription {
  sessionId: string;
  serverAddress: string;
  name: string;
  framerate: number;
  durationSeconds: number;
  width: number;
  height: number;
}
/** m=video 0 RTP/AVP 26, a=rtpmap:26 JPEG/90000, a=control:, a=framerate:, a=range:npt=0-<duration>. */
export declare function buildJpegSdp(stream: JpegStreamDescription): string;
/** Throws SdpError naming the line for what it cannot read. */
export declare function parseSdp(text: string): SessionDescription;
export declare class SdpError extends Error {}
