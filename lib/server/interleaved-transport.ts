// RTP and RTCP interleaved on the RTSP connection (RFC 2326 §10.12): `$`, channel, 16-bit length, packet.
import type { ConnectionWriter } from "./connection-writer.ts";
import type { MediaTransport } from "./media-transport.ts";
import { INTERLEAVED_HEADER_BYTES, type SharedPacket } from "./movie-library.ts";

const MAX_PACKET = 0xffff;

/** The writer copies what it cannot send at once, so one scratch buffer serves every interleaved session's RTCP. */
const rtcpScratch = new Uint8Array(INTERLEAVED_HEADER_BYTES + MAX_PACKET);

function writeFrameHeader(target: Uint8Array, channel: number, length: number): void {
  target[0] = 0x24;
  target[1] = channel;
  target[2] = length >>> 8;
  target[3] = length & 0xff;
}

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

  sendRtpPackets(packets: readonly SharedPacket[]): void {
    for (let i = 0; i < packets.length; i++) {
      const packet = packets[i];
      if (packet.datagram.length > MAX_PACKET) continue;
      writeFrameHeader(packet.framed, this.channels[0], packet.datagram.length);
      this.writer.write(packet.framed);
    }
  }

  sendRtcp(packet: Uint8Array): void {
    if (packet.length > MAX_PACKET) return;
    writeFrameHeader(rtcpScratch, this.channels[1], packet.length);
    rtcpScratch.set(packet, INTERLEAVED_HEADER_BYTES);
    this.writer.write(rtcpScratch.subarray(0, INTERLEAVED_HEADER_BYTES + packet.length));
  }

  /** The connection owns the socket; closing the session leaves it open. */
  close(): void {}
}
