// Makes a movie's frames carriable by RFC 2435: frames that cannot travel as they are (4:4:4, progressive, optimized
// Huffman tables, ...) are decoded and re-encoded as baseline 4:2:0 with the Annex K tables. Done once per movie.
import jpeg from "jpeg-js";
import { encodeJpeg420 } from "./jpeg-encoder.ts";
import { inspectJpeg, RTP_JPEG_MAX_DIMENSION } from "./jpeg-info.ts";
import { MovieError } from "./movie-error.ts";

/** Close to the source at a modest size: the classic movie's quality-50 4:4:4 frames come out about as large. */
export const RTP_CONVERSION_QUALITY = 80;

/** Frames re-encoded between two turns of the event loop, so a server converting a movie stays responsive. */
const FRAMES_PER_TURN = 8;

interface FrameSource {
  readonly name: string;
  readonly frameCount: number;
  frame(index: number): Uint8Array;
}

/** Every frame, converted where `transportable[i]` is 0, kept as is (a view) otherwise. */
export async function convertFramesForRtp(
  movie: FrameSource,
  transportable: Uint8Array,
  quality = RTP_CONVERSION_QUALITY,
): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < movie.frameCount; i++) {
    const frame = movie.frame(i);
    frames.push(transportable[i] ? frame : convertFrame(movie.name, i + 1, frame, quality));
    if (i % FRAMES_PER_TURN === FRAMES_PER_TURN - 1) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return frames;
}

function convertFrame(name: string, frameNumber: number, frame: Uint8Array, quality: number): Uint8Array {
  const { width, height } = inspectJpeg(frame);
  if (width > RTP_JPEG_MAX_DIMENSION || height > RTP_JPEG_MAX_DIMENSION) {
    throw new MovieError(
      `${name}: frame ${frameNumber} is ${width}x${height}; RTP/JPEG carries at most ${RTP_JPEG_MAX_DIMENSION}x${RTP_JPEG_MAX_DIMENSION} px`,
    );
  }
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(frame, { useTArray: true, formatAsRGBA: true });
  } catch (error) {
    throw new MovieError(`${name}: frame ${frameNumber}: cannot decode it for conversion: ${(error as Error).message}`);
  }
  return encodeJpeg420(decoded.data, decoded.width, decoded.height, quality);
}
