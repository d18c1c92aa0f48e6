// Plain concatenated JPEGs (.mjpeg): frames found by walking each one's markers from SOI to EOI, so FFD8/FFD9 bytes
// inside segments (thumbnails, comments) or in stuffed entropy data never split a frame.
import { FrameIndexBuilder, type FrameIndexResult } from "./frame-index.ts";
import { walkJpeg } from "./jpeg-markers.ts";

export function looksLikeConcatenatedJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xd8;
}

export function indexConcatenatedJpeg(bytes: Uint8Array): FrameIndexResult {
  const builder = new FrameIndexBuilder();
  let pos = 0;
  while (pos < bytes.length) {
    const frame = builder.count + 1;
    const walked = walkJpeg(bytes, pos, { requireEoi: true });
    if (!walked.ok) {
      const problem = walked.error.startsWith("no SOI") ? `missing SOI (FFD8) at byte ${pos}` : walked.error;
      return { ok: false, error: { frame, problem } };
    }
    builder.add(pos, walked.walk.end - pos);
    pos = walked.walk.end;
  }
  if (builder.count === 0) return { ok: false, error: { frame: 1, problem: "empty file" } };
  return { ok: true, index: builder.build() };
}
