// RFC 2435 RTP/JPEG: one frame → RTP payloads (main header [+ quantization table header] + scan fragment).
// CONTRACT (owned by lib/rtp). RTP headers are written per client by the sender; payloads are shared by all.
export interface PacketizeOptions {
  /** Largest RTP packet including the 12-byte RTP header; default 1400. */
  maxPacket?: number;
}
/** Throws when the frame cannot travel as RFC 2435 (the JpegInfo's notTransportable). The last payload gets the marker. */
export declare function packetizeJpeg(frame: Uint8Array, options?: PacketizeOptions): Uint8Array[];
