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

export const RtcpPacketType = { SenderReport: 200, ReceiverReport: 201, SourceDescription: 202, Goodbye: 203 } as const;

const VERSION = 2;
const HEADER_BYTES = 4;
const REPORT_BLOCK_BYTES = 24;
const SDES_CNAME = 1;
/** The 5-bit count field of the common header. */
const MAX_COUNT = 31;
/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800n;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** Grows as packets are appended; RTCP is small and rare, so simplicity beats buffer reuse here. */
class ByteWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + count));
    grown.set(this.bytes);
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
  u8(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value & 0xff;
  }
  u16(value: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, value & 0xffff);
    this.length += 2;
  }
  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value >>> 0);
    this.length += 4;
  }
  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }
  padTo32Bits(): void {
    while (this.length % 4 !== 0) this.u8(0);
  }
  setU16(at: number, value: number): void {
    this.view.setUint16(at, value);
  }
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function checkCount(count: number, what: string): void {
  if (count > MAX_COUNT) throw new RangeError(`RTCP packet cannot carry ${count} ${what} (at most ${MAX_COUNT})`);
}

function writeReportBlock(writer: ByteWriter, block: ReportBlock): void {
  const cumulativeLost = Math.max(-0x800000, Math.min(0x7fffff, Math.trunc(block.cumulativeLost)));
  writer.u32(block.ssrc);
  writer.u32(((block.fractionLost & 0xff) << 24) | (cumulativeLost & 0xffffff));
  writer.u32(block.highestSequence);
  writer.u32(Math.trunc(block.jitter));
  writer.u32(block.lastSr);
  writer.u32(block.delaySinceLastSr);
}

function writeBody(writer: ByteWriter, packet: RtcpPacket): { count: number; packetType: number } {
  switch (packet.type) {
    case "sr":
      checkCount(packet.reports.length, "report blocks");
      writer.u32(packet.ssrc);
      writer.u32(Number(packet.ntpTime >> 32n));
      writer.u32(Number(packet.ntpTime & 0xffffffffn));
      writer.u32(packet.rtpTime);
      writer.u32(packet.packetCount);
      writer.u32(packet.octetCount);
      for (const block of packet.reports) writeReportBlock(writer, block);
      return { count: packet.reports.length, packetType: RtcpPacketType.SenderReport };
    case "rr":
      checkCount(packet.reports.length, "report blocks");
      writer.u32(packet.ssrc);
      for (const block of packet.reports) writeReportBlock(writer, block);
      return { count: packet.reports.length, packetType: RtcpPacketType.ReceiverReport };
    case "sdes":
      checkCount(packet.chunks.length, "SDES chunks");
      for (const chunk of packet.chunks) {
        writer.u32(chunk.ssrc);
        if (chunk.cname !== undefined) {
          const text = textEncoder.encode(chunk.cname);
          if (text.length > 255) throw new RangeError("SDES CNAME longer than 255 bytes");
          writer.u8(SDES_CNAME);
          writer.u8(text.length);
          writer.raw(text);
        }
        // The item list ends with a null item, then zeros up to the next 32-bit boundary.
        writer.u8(0);
        writer.padTo32Bits();
      }
      return { count: packet.chunks.length, packetType: RtcpPacketType.SourceDescription };
    case "bye":
      checkCount(packet.ssrcs.length, "BYE sources");
      for (const ssrc of packet.ssrcs) writer.u32(ssrc);
      if (packet.reason !== undefined) {
        const text = textEncoder.encode(packet.reason);
        if (text.length > 255) throw new RangeError("BYE reason longer than 255 bytes");
        writer.u8(text.length);
        writer.raw(text);
        writer.padTo32Bits();
      }
      return { count: packet.ssrcs.length, packetType: RtcpPacketType.Goodbye };
    case "unknown":
      return { count: 0, packetType: packet.packetType };
  }
}

/** Throws RangeError for what the wire format cannot express (more than 31 blocks, texts over 255 bytes). */
export function encodeRtcp(packets: RtcpPacket[]): Uint8Array {
  const writer = new ByteWriter();
  for (const packet of packets) {
    const start = writer.length;
    writer.u32(0);
    const { count, packetType } = writeBody(writer, packet);
    const words = (writer.length - start) / 4 - 1;
    writer.setU16(start, (VERSION << 14) | (count << 8) | packetType);
    writer.setU16(start + 2, words);
  }
  return writer.result();
}

function readReportBlocks(view: DataView, offset: number, count: number): ReportBlock[] {
  const reports: ReportBlock[] = [];
  for (let i = 0; i < count; i++) {
    const at = offset + i * REPORT_BLOCK_BYTES;
    const lossWord = view.getUint32(at + 4);
    reports.push({
      ssrc: view.getUint32(at),
      fractionLost: lossWord >>> 24,
      cumulativeLost: (lossWord << 8) >> 8,
      highestSequence: view.getUint32(at + 8),
      jitter: view.getUint32(at + 12),
      lastSr: view.getUint32(at + 16),
      delaySinceLastSr: view.getUint32(at + 20),
    });
  }
  return reports;
}

function decodeSdes(body: Uint8Array, count: number): RtcpPacket | Error {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const chunks: { ssrc: number; cname?: string }[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 4 > body.length) return new Error(`SDES chunk ${i + 1} of ${count} is missing`);
    const chunk: { ssrc: number; cname?: string } = { ssrc: view.getUint32(at) };
    at += 4;
    for (;;) {
      if (at >= body.length) return new Error("SDES chunk has no terminating null item");
      const itemType = body[at];
      if (itemType === 0) break;
      if (at + 2 > body.length) return new Error("SDES item truncated");
      const itemLength = body[at + 1];
      if (at + 2 + itemLength > body.length) return new Error("SDES item text runs past the packet");
      if (itemType === SDES_CNAME) chunk.cname = textDecoder.decode(body.subarray(at + 2, at + 2 + itemLength));
      at += 2 + itemLength;
    }
    // Skip the null item and the zeros that align the next chunk.
    at = (at + 4) & ~3;
    chunks.push(chunk);
  }
  return { type: "sdes", chunks };
}

function decodeBye(body: Uint8Array, count: number): RtcpPacket | Error {
  if (body.length < count * 4) return new Error(`BYE announces ${count} sources but holds ${body.length} bytes`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const ssrcs: number[] = [];
  for (let i = 0; i < count; i++) ssrcs.push(view.getUint32(i * 4));
  const reasonAt = count * 4;
  if (reasonAt >= body.length) return { type: "bye", ssrcs };
  const reasonLength = body[reasonAt];
  if (reasonAt + 1 + reasonLength > body.length) return new Error("BYE reason runs past the packet");
  return { type: "bye", ssrcs, reason: textDecoder.decode(body.subarray(reasonAt + 1, reasonAt + 1 + reasonLength)) };
}

function decodeOne(packetType: number, count: number, body: Uint8Array): RtcpPacket | Error {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  switch (packetType) {
    case RtcpPacketType.SenderReport: {
      const needed = 24 + count * REPORT_BLOCK_BYTES;
      if (body.length < needed) return new Error(`SR with ${count} report blocks needs ${needed} bytes, has ${body.length}`);
      return {
        type: "sr",
        ssrc: view.getUint32(0),
        ntpTime: view.getBigUint64(4),
        rtpTime: view.getUint32(12),
        packetCount: view.getUint32(16),
        octetCount: view.getUint32(20),
        reports: readReportBlocks(view, 24, count),
      };
    }
    case RtcpPacketType.ReceiverReport: {
      const needed = 4 + count * REPORT_BLOCK_BYTES;
      if (body.length < needed) return new Error(`RR with ${count} report blocks needs ${needed} bytes, has ${body.length}`);
      return { type: "rr", ssrc: view.getUint32(0), reports: readReportBlocks(view, 4, count) };
    }
    case RtcpPacketType.SourceDescription:
      return decodeSdes(body, count);
    case RtcpPacketType.Goodbye:
      return decodeBye(body, count);
    default:
      return { type: "unknown", packetType };
  }
}

/** Returns an Error value for a malformed compound packet. */
export function decodeRtcp(datagram: Uint8Array): RtcpPacket[] | Error {
  if (datagram.length < HEADER_BYTES) return new Error(`RTCP packet too short: ${datagram.length} bytes`);
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const packets: RtcpPacket[] = [];
  let at = 0;
  while (at < datagram.length) {
    if (at + HEADER_BYTES > datagram.length) return new Error(`RTCP header truncated at byte ${at}`);
    const first = datagram[at];
    const version = first >>> 6;
    if (version !== VERSION) return new Error(`RTCP version ${version} at byte ${at}, expected 2`);
    const length = (view.getUint16(at + 2) + 1) * 4;
    const end = at + length;
    if (end > datagram.length) return new Error(`RTCP packet at byte ${at} claims ${length} bytes, ${datagram.length - at} left`);
    let bodyEnd = end;
    if ((first & 0x20) !== 0) {
      // RFC 3550 §6.4.1: only the last packet of a compound may be padded.
      if (end !== datagram.length) return new Error(`RTCP padding on a packet that is not the last (byte ${at})`);
      const paddingBytes = datagram[end - 1];
      if (paddingBytes === 0 || paddingBytes > length - HEADER_BYTES) return new Error(`RTCP padding of ${paddingBytes} bytes does not fit`);
      bodyEnd -= paddingBytes;
    }
    const packet = decodeOne(datagram[at + 1], first & 0x1f, datagram.subarray(at + HEADER_BYTES, bodyEnd));
    if (packet instanceof Error) return packet;
    packets.push(packet);
    at = end;
  }
  return packets;
}

/** 64-bit NTP timestamp for a wall-clock time in ms since the Unix epoch. */
export function ntpFromUnixMs(ms: number): bigint {
  const wholeMs = Math.floor(ms);
  const seconds = BigInt(Math.floor(wholeMs / 1000)) + NTP_UNIX_OFFSET_SECONDS;
  const fractionMs = wholeMs - Math.floor(wholeMs / 1000) * 1000 + (ms - wholeMs);
  const fraction = BigInt(Math.floor((fractionMs / 1000) * 2 ** 32));
  return (seconds << 32n) | fraction;
}

/** The middle 32 bits of an NTP timestamp: the LSR field of a report block (RFC 3550 §6.4.1). */
export function compactNtp(ntpTime: bigint): number {
  return Number((ntpTime >> 16n) & 0xffffffffn);
}
