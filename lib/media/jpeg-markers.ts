// Walks the marker structure of one JPEG from its SOI: length-prefixed segments, and after each SOS the
// entropy-coded data, which ends at the first marker that is neither stuffing (FF00) nor a restart (FFD0..FFD7).
// Bytes inside segments (an APP thumbnail, a COM text) are skipped by length, so FFD8/FFD9 there never fool it.

export const Marker = {
  SOI: 0xd8,
  EOI: 0xd9,
  SOS: 0xda,
  DQT: 0xdb,
  DRI: 0xdd,
  DHT: 0xc4,
  APP0: 0xe0,
  COM: 0xfe,
} as const;

export interface JpegSegment {
  marker: number;
  /** Offset of the segment's 0xFF. */
  start: number;
  /** The payload, after the two length bytes. */
  payloadStart: number;
  payloadEnd: number;
  /** For SOS only: end of the entropy-coded data that follows the header. */
  scanEnd?: number;
}

export interface JpegWalk {
  segments: JpegSegment[];
  /** Offset just past EOI, or the end of the bytes when EOI is missing. */
  end: number;
  /** Offset where EOI starts, or the end of the bytes when it is missing. */
  eoiStart: number;
  hasEoi: boolean;
}

export type JpegWalkResult = { ok: true; walk: JpegWalk } | { ok: false; error: string };

const isStandalone = (marker: number) => (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01;

const hex = (marker: number) => `FF${marker.toString(16).toUpperCase().padStart(2, "0")}`;

/** Walks the JPEG that starts at `start`. With `requireEoi` a missing EOI is an error rather than a short walk. */
export function walkJpeg(bytes: Uint8Array, start = 0, { requireEoi = false } = {}): JpegWalkResult {
  const length = bytes.length;
  if (length - start < 2 || bytes[start] !== 0xff || bytes[start + 1] !== Marker.SOI) {
    return { ok: false, error: "no SOI marker (FFD8) at the start" };
  }
  const segments: JpegSegment[] = [];
  let pos = start + 2;
  while (true) {
    if (pos >= length) return missingEoi(segments, length, requireEoi, "ends before EOI");
    if (bytes[pos] !== 0xff) {
      return { ok: false, error: `expected a marker at byte ${pos - start}, found 0x${bytes[pos].toString(16)}` };
    }
    while (pos < length && bytes[pos] === 0xff) pos++; // fill bytes may precede any marker
    if (pos >= length) return missingEoi(segments, length, requireEoi, "ends inside a marker");
    const marker = bytes[pos];
    const markerStart = pos - 1;
    pos++;
    if (marker === Marker.EOI) {
      return { ok: true, walk: { segments, end: pos, eoiStart: markerStart, hasEoi: true } };
    }
    if (marker === Marker.SOI) return { ok: false, error: `second SOI at byte ${markerStart - start} before EOI` };
    if (marker === 0x00) return { ok: false, error: `invalid marker FF00 at byte ${markerStart - start}` };
    if (isStandalone(marker)) continue;
    if (pos + 2 > length) return { ok: false, error: `truncated in the length of segment ${hex(marker)}` };
    const segmentLength = (bytes[pos] << 8) | bytes[pos + 1];
    if (segmentLength < 2) return { ok: false, error: `segment ${hex(marker)} has invalid length ${segmentLength}` };
    const payloadEnd = pos + segmentLength;
    if (payloadEnd > length) {
      return { ok: false, error: `truncated inside segment ${hex(marker)} (needs ${segmentLength} bytes)` };
    }
    const segment: JpegSegment = { marker, start: markerStart, payloadStart: pos + 2, payloadEnd };
    segments.push(segment);
    pos = payloadEnd;
    if (marker === Marker.SOS) {
      pos = entropyDataEnd(bytes, pos);
      segment.scanEnd = pos;
    }
  }
}

function missingEoi(segments: JpegSegment[], length: number, requireEoi: boolean, how: string): JpegWalkResult {
  if (requireEoi || !segments.some((s) => s.marker === Marker.SOS)) return { ok: false, error: `truncated: ${how}` };
  return { ok: true, walk: { segments, end: length, eoiStart: length, hasEoi: false } };
}

/** First offset at or after `pos` where a real marker (not FF00 stuffing, not RSTn, not fill) starts. */
function entropyDataEnd(bytes: Uint8Array, pos: number): number {
  const length = bytes.length;
  while (true) {
    const ff = bytes.indexOf(0xff, pos);
    if (ff < 0 || ff + 1 >= length) return length;
    let next = ff + 1;
    while (next < length && bytes[next] === 0xff) next++;
    if (next >= length) return length;
    const code = bytes[next];
    if (code === 0x00 || (code >= 0xd0 && code <= 0xd7)) {
      pos = next + 1;
      continue;
    }
    return next - 1;
  }
}
