// How a session's RTP and RTCP reach its client: UDP datagrams or interleaved frames on the RTSP connection.
import type { RtpHeader } from "../rtp/packet.ts";

export interface MediaTransport {
  /** One RTP packet: the header is this client's, the payload is shared by every client and never modified. */
  sendRtp(header: RtpHeader, payload: Uint8Array): void;
  sendRtcp(packet: Uint8Array): void;
  /** True while too much is queued for this client; the session then skips whole frames. */
  readonly congested: boolean;
  close(): void;
}
