// RTP and RTCP interleaved on the RTSP connection (RFC 2326 §10.12): `$`, channel, 16-bit length, packet.
import { RTP_HEADER_BYTES, writeRtpHeader, type RtpHeader } from "../rtp/packet.ts";
import type { ConnectionWriter } from "./connection-writer.ts";
import type { MediaTransport } from "./media-transport.ts";

const FRAME_HEADER_BYTES = 4;
const MAX_PACKET = 0xffff;

/** The writer copies what it cannot send at once, so one scratch buffer serves every interleaved session. */
const scratch = new Uint8Array(FRAME_HEADER_BYTES + MAX_PACKET);

export class InterleavedTransport implements MediaTransport {
  constructor(
    private readonly writer: ConnectionWriter,
    readonly channels: [rtp: number, rtcp: number],
    /** Beyond this many queued bytes the client is too slow: its frames are skipped, whole. */
    private readonly maxQueuedBytes: number,
  ) {}

  get congested(): boolean {
    return this.writer.queuedBytes > this.maxQueuedBytes;
  }

  sendRtp(header: RtpHeader, payload: Uint8Array): void {
    const length = RTP_HEADER_BYTES + payload.length;
    if (length > MAX_PACKET) return;
    this.writeFrameHeader(this.channels[0], length);
    writeRtpHeader(scratch, FRAME_HEADER_BYTES, header);
    scratch.set(payload, FRAME_HEADER_BYTES + RTP_HEADER_BYTES);
    this.writer.write(scratch.subarray(0, FRAME_HEADER_BYTES + length));
  }

  sendRtcp(packet: Uint8Array): void {
    if (packet.length > MAX_PACKET) return;
    this.writeFrameHeader(this.channels[1], packet.length);
    scratch.set(packet, FRAME_HEADER_BYTES);
    this.writer.write(scratch.subarray(0, FRAME_HEADER_BYTES + packet.length));
  }

  /** The connection owns the socket; closing the session leaves it open. */
  close(): void {}

  private writeFrameHeader(channel: number, length: number): void {
    scratch[0] = 0x24;
    scratch[1] = channel;
    scratch[2] = length >>> 8;
    scratch[3] = length & 0xff;
  }
}
