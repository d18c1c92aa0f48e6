// How a session's RTP and RTCP reach its client: UDP datagrams or interleaved frames on the RTSP connection.
import type { SharedPacket } from "./movie-library.ts";

export interface MediaTransport {
  /**
   * One frame's packets, their RTP headers already written for this client. The buffers are shared by every
   * client: a transport sends (or copies) them before returning and changes nothing but the interleaved header.
   */
  sendRtpPackets(packets: readonly SharedPacket[]): void;
  sendRtcp(packet: Uint8Array): void;
  /** True while too much is queued for this client; the session then skips whole frames. */
  readonly congested: boolean;
  close(): void;
}
