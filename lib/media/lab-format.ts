// The classic lab's movie format: per frame, its length as 5 ASCII digits, then the JPEG.
import { FrameIndexBuilder, type FrameIndexResult } from "./frame-index.ts";

const DIGITS = 5;
export const LAB_MAX_FRAME_BYTES = 99_999;

const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

/** True when the bytes start like a lab movie: 5 digits, then a JPEG SOI. */
export function looksLikeLabMovie(bytes: Uint8Array): boolean {
  if (bytes.length < DIGITS + 2) return false;
  for (let i = 0; i < DIGITS; i++) if (!isDigit(bytes[i])) return false;
  return bytes[DIGITS] === 0xff && bytes[DIGITS + 1] === 0xd8;
}

export function indexLabMovie(bytes: Uint8Array): FrameIndexResult {
  const builder = new FrameIndexBuilder();
  let pos = 0;
  while (pos < bytes.length) {
    const frame = builder.count + 1;
    const fail = (problem: string): FrameIndexResult => ({ ok: false, error: { frame, problem } });
    if (pos + DIGITS > bytes.length) return fail(`truncated length header (${bytes.length - pos} of 5 digits)`);
    let length = 0;
    for (let i = 0; i < DIGITS; i++) {
      const byte = bytes[pos + i];
      if (!isDigit(byte)) {
        const shown = Array.from(bytes.subarray(pos, pos + DIGITS), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : "?"));
        return fail(`bad length digits "${shown.join("")}" at byte ${pos}`);
      }
      length = length * 10 + byte - 0x30;
    }
    const start = pos + DIGITS;
    if (length === 0) return fail(`length 0 at byte ${pos}`);
    if (start + length > bytes.length) {
      return fail(`length ${length} runs past the end of the file (${bytes.length - start} bytes left)`);
    }
    if (length < 2 || bytes[start] !== 0xff || bytes[start + 1] !== 0xd8) return fail(`missing SOI (FFD8) at byte ${start}`);
    builder.add(start, length);
    pos = start + length;
  }
  if (builder.count === 0) return { ok: false, error: { frame: 1, problem: "empty file" } };
  return { ok: true, index: builder.build() };
}

/** Lab-format bytes of these frames; throws RangeError naming the 1-based frame that is too large for 5 digits. */
export function encodeLabMovie(frames: Iterable<Uint8Array>): Uint8Array {
  const list = [...frames];
  let total = 0;
  list.forEach((frame, i) => {
    if (frame.length > LAB_MAX_FRAME_BYTES) {
      throw new RangeError(`frame ${i + 1} is ${frame.length} bytes; the lab format holds at most ${LAB_MAX_FRAME_BYTES}`);
    }
    total += DIGITS + frame.length;
  });
  const out = new Uint8Array(total);
  let pos = 0;
  for (const frame of list) {
    for (let i = DIGITS - 1, rest = frame.length; i >= 0; i--, rest = Math.floor(rest / 10)) out[pos + i] = 0x30 + (rest % 10);
    out.set(frame, pos + DIGITS);
    pos += DIGITS + frame.length;
  }
  return out;
}
