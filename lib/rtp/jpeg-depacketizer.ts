// RFC 2435 RTP/JPEG → complete JPEG files, headers rebuilt (RFC 2435 Appendix A/B). CONTRACT (owned by lib/rtp).
import { buildJpegHeaders, scaledQuantTables, type QuantTable } from "./jpeg-headers.ts";
import type { RtpPacket } from "./packet.ts";

export type DepacketizeResult =
  | { type: "frame"; jpeg: Uint8Array; timestamp: number; firstSequence: number }
  /** A frame that could not be completed (missing fragment, bad header): counted, never emitted. */
  | { type: "dropped"; timestamp: number; reason: string };

const MAIN_HEADER_BYTES = 8;
const RESTART_HEADER_BYTES = 4;
const QUANT_HEADER_BYTES = 4;
const RESTART_TYPE_BASE = 64;
/** Q 128..254: tables may be sent once and then left out (length 0); Q 255: tables come with every frame. */
const FIRST_IN_BAND_Q = 128;
const DYNAMIC_Q = 255;
const EOI = [0xff, 0xd9];
/** Distinct stream layouts a receiver meets are few; the bound only stops garbage from growing the cache. */
const HEADER_CACHE_LIMIT = 16;

/** What every fragment of a frame must agree on. */
interface FrameLayout {
  type: number;
  q: number;
  width: number;
  height: number;
  restartInterval: number;
}

interface Fragment {
  offset: number;
  data: Uint8Array;
}

interface PendingFrame {
  timestamp: number;
  firstSequence: number;
  layout?: FrameLayout;
  quantTables?: QuantTable[];
  fragments: Fragment[];
  /** Set once the frame is known to be unusable; it is still followed to its end so it is dropped once. */
  problem?: string;
}

type ParsedFragment = { layout: FrameLayout; offset: number; quantTables?: QuantTable[]; data: Uint8Array } | string;

function sameLayout(a: FrameLayout, b: FrameLayout): boolean {
  return a.type === b.type && a.q === b.q && a.width === b.width && a.height === b.height && a.restartInterval === b.restartInterval;
}

function sameTables(a: QuantTable[], b: QuantTable[]): boolean {
  return a.length === b.length && a.every((table, i) => table.sixteenBit === b[i].sixteenBit && table.bytes.every((v, j) => v === b[i].bytes[j]));
}

/** Reads the RFC 2435 headers of one payload; a string says what is wrong. */
function parseFragment(payload: Uint8Array): ParsedFragment {
  if (payload.length < MAIN_HEADER_BYTES) return `payload of ${payload.length} bytes is shorter than the RTP/JPEG header`;
  const offset = (payload[1] << 16) | (payload[2] << 8) | payload[3];
  const type = payload[4];
  const q = payload[5];
  const layout: FrameLayout = { type, q, width: payload[6] * 8, height: payload[7] * 8, restartInterval: 0 };
  if ((type & 0x3f) > 1 || type >= 128) return `unsupported RTP/JPEG type ${type}`;
  if (q === 0) return "Q 0 is reserved";
  if (layout.width === 0 || layout.height === 0) return `frame size ${layout.width}x${layout.height}`;
  let at = MAIN_HEADER_BYTES;
  if (type >= RESTART_TYPE_BASE) {
    if (payload.length < at + RESTART_HEADER_BYTES) return "restart header is truncated";
    layout.restartInterval = (payload[at] << 8) | payload[at + 1];
    at += RESTART_HEADER_BYTES;
  }
  let quantTables: QuantTable[] | undefined;
  if (offset === 0 && q >= FIRST_IN_BAND_Q) {
    if (payload.length < at + QUANT_HEADER_BYTES) return "quantization table header is truncated";
    const precision = payload[at + 1];
    const length = (payload[at + 2] << 8) | payload[at + 3];
    at += QUANT_HEADER_BYTES;
    if (at + length > payload.length) return `quantization tables of ${length} bytes run past the payload`;
    if (length > 0) {
      const tables = readQuantTables(payload.subarray(at, at + length), precision);
      if (typeof tables === "string") return tables;
      quantTables = tables;
    }
    at += length;
  }
  return { layout, offset, quantTables, data: payload.subarray(at) };
}

/** One or two tables (luma, chroma); bit i of `precision` makes table i 16-bit (128 bytes). */
function readQuantTables(bytes: Uint8Array, precision: number): QuantTable[] | string {
  const tables: QuantTable[] = [];
  let at = 0;
  while (at < bytes.length && tables.length < 2) {
    const sixteenBit = ((precision >> tables.length) & 1) === 1;
    const size = sixteenBit ? 128 : 64;
    if (at + size > bytes.length) break;
    tables.push({ bytes: bytes.slice(at, at + size), sixteenBit });
    at += size;
  }
  if (at !== bytes.length) return `quantization table length ${bytes.length} does not match whole tables`;
  return tables;
}

export class JpegDepacketizer {
  private pending: PendingFrame | undefined;
  /** The timestamp of the frame just finished, so stray copies of its packets do not start a phantom frame. */
  private finishedTimestamp: number | undefined;
  /** Tables by Q: scaled ones for Q 1..99, and Q 128..254 ones as last received, for frames that leave them out. */
  private readonly tablesByQ = new Map<number, QuantTable[]>();
  private readonly headerCache = new Map<string, { quantTables: QuantTable[]; headers: Uint8Array }>();
  private completedCount = 0;
  private droppedCount = 0;

  get completedFrames(): number {
    return this.completedCount;
  }
  get droppedFrames(): number {
    return this.droppedCount;
  }

  /** Feed packets in sequence order (the receiver's reorder buffer does that); returns what completed. */
  push(packet: RtpPacket): DepacketizeResult[] {
    const results: DepacketizeResult[] = [];
    const parsed = parseFragment(packet.payload);
    const offset = typeof parsed === "string" ? -1 : parsed.offset;
    if (this.pending?.timestamp !== packet.timestamp) {
      if (packet.timestamp === this.finishedTimestamp && offset !== 0) return results;
      if (this.pending) results.push(this.drop(this.pending, "incomplete: the next frame began"));
      this.pending = { timestamp: packet.timestamp, firstSequence: packet.sequenceNumber, fragments: [] };
    }
    const frame = this.pending as PendingFrame;
    if (typeof parsed === "string") frame.problem ??= parsed;
    else if (!frame.problem) this.addFragment(frame, parsed);
    if (packet.marker) {
      results.push(this.finish(frame));
      this.pending = undefined;
      this.finishedTimestamp = frame.timestamp;
    }
    return results;
  }

  private addFragment(frame: PendingFrame, fragment: Exclude<ParsedFragment, string>): void {
    if (frame.layout && !sameLayout(frame.layout, fragment.layout)) {
      frame.problem = "fragments of one frame disagree on type, Q or size";
      return;
    }
    frame.layout = fragment.layout;
    if (fragment.offset === 0) {
      const tables = this.quantTablesFor(fragment.layout.q, fragment.quantTables);
      if (typeof tables === "string") {
        frame.problem = tables;
        return;
      }
      frame.quantTables = tables;
    }
    frame.fragments.push({ offset: fragment.offset, data: fragment.data });
  }

  private quantTablesFor(q: number, inBand: QuantTable[] | undefined): QuantTable[] | string {
    if (q < FIRST_IN_BAND_Q) {
      const scaled = this.tablesByQ.get(q) ?? scaledQuantTables(q);
      this.tablesByQ.set(q, scaled);
      return scaled;
    }
    if (inBand) {
      if (q !== DYNAMIC_Q) this.tablesByQ.set(q, inBand);
      return inBand;
    }
    return (q !== DYNAMIC_Q && this.tablesByQ.get(q)) || `Q ${q} without quantization tables`;
  }

  private finish(frame: PendingFrame): DepacketizeResult {
    if (frame.problem) return this.drop(frame, frame.problem);
    if (!frame.layout || !frame.quantTables) return this.drop(frame, "first fragment missing");
    const fragments = frame.fragments.sort((a, b) => a.offset - b.offset);
    let end = 0;
    for (const fragment of fragments) {
      if (fragment.offset > end) return this.drop(frame, `bytes ${end}..${fragment.offset} missing`);
      end = Math.max(end, fragment.offset + fragment.data.length);
    }
    const headers = this.headersFor(frame.layout, frame.quantTables);
    const jpeg = new Uint8Array(headers.length + end + EOI.length);
    jpeg.set(headers);
    for (const fragment of fragments) jpeg.set(fragment.data, headers.length + fragment.offset);
    const scanEnd = headers.length + end;
    // Senders differ on whether the scan data they send ends with EOI; the file needs exactly one.
    const hasEoi = end >= 2 && jpeg[scanEnd - 2] === EOI[0] && jpeg[scanEnd - 1] === EOI[1];
    jpeg.set(EOI, scanEnd);
    this.completedCount++;
    return { type: "frame", jpeg: hasEoi ? jpeg.subarray(0, scanEnd) : jpeg, timestamp: frame.timestamp, firstSequence: frame.firstSequence };
  }

  private headersFor(layout: FrameLayout, quantTables: QuantTable[]): Uint8Array {
    const key = `${layout.type}/${layout.q}/${layout.width}x${layout.height}/${layout.restartInterval}`;
    const cached = this.headerCache.get(key);
    if (cached && sameTables(cached.quantTables, quantTables)) return cached.headers;
    const headers = buildJpegHeaders({ ...layout, quantTables });
    if (this.headerCache.size >= HEADER_CACHE_LIMIT) this.headerCache.clear();
    this.headerCache.set(key, { quantTables, headers });
    return headers;
  }

  private drop(frame: PendingFrame, reason: string): DepacketizeResult {
    this.droppedCount++;
    return { type: "dropped", timestamp: frame.timestamp, reason };
  }
}
