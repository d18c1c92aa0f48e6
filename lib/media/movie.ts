// A movie: frames indexed once (offset + length each), reachable in O(1).
// CONTRACT (owned by lib/media): lib/server and lib/client rely on this.
import type { ChromaSampling } from "./jpeg-info.ts";

export type MovieFormat = "lab" | "mjpeg";

export interface MovieInfo {
  name: string;
  format: MovieFormat;
  frameCount: number;
  bytes: number;
  frameSizes: { min: number; median: number; max: number };
  width: number;
  height: number;
  sampling: ChromaSampling;
  /** True when every frame can travel as RFC 2435 RTP/JPEG unchanged. */
  rtpReady: boolean;
  /** Why not (first offending frame and reason), when rtpReady is false. */
  rtpProblem?: string;
}

/** Errors name the file and, where it applies, the 1-based frame number. */
export declare class MovieError extends Error {}

export declare class Movie {
  /** Detects the format (lab: 5 ASCII digits then a JPEG; mjpeg: concatenated JPEGs split by walking markers). */
  static open(path: string): Promise<Movie>;
  static fromBytes(bytes: Uint8Array, name: string): Movie;
  readonly name: string;
  readonly format: MovieFormat;
  readonly frameCount: number;
  /** Frame `index` (0-based) as a view into the file's bytes, no copy. */
  frame(index: number): Uint8Array;
  /** Computed on first use (inspects frames), then cached. */
  info(): MovieInfo;
  /**
   * The frames as RFC 2435 can carry them: this movie itself when rtpReady, otherwise every frame converted once
   * to baseline 4:2:0 with the standard Huffman tables (cached on this Movie). Throws MovieError when impossible.
   */
  forRtp(): Promise<Movie>;
}
