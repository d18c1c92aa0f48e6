// A movie: frames indexed once (offset + length each), reachable in O(1).
// CONTRACT (owned by lib/media): lib/server and lib/client rely on this.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { indexConcatenatedJpeg, looksLikeConcatenatedJpeg } from "./concatenated-jpeg.ts";
import { FrameIndexBuilder, type FrameIndex, type FrameIndexResult } from "./frame-index.ts";
import { inspectJpeg, JpegError, type ChromaSampling } from "./jpeg-info.ts";
import { indexLabMovie, looksLikeLabMovie } from "./lab-format.ts";
import { MovieError } from "./movie-error.ts";
import { convertFramesForRtp } from "./rtp-conversion.ts";

/** lab: 5 ASCII digits then a JPEG, per frame; mjpeg: concatenated JPEGs; jpeg-folder: one .jpg file per frame. */
export type MovieFormat = "lab" | "mjpeg" | "jpeg-folder";

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

export { MovieError } from "./movie-error.ts";

const JPEG_FILE = /\.jpe?g$/i;

export class Movie {
  /** Detects the format (lab: 5 ASCII digits then a JPEG; mjpeg: concatenated JPEGs split by walking markers). */
  static async open(path: string): Promise<Movie> {
    const kind = await stat(path).catch(() => undefined);
    if (!kind) throw new MovieError(`${path}: no such file or folder`);
    if (kind.isDirectory()) return Movie.openJpegFolder(path);
    return Movie.fromBytes(await Bun.file(path).bytes(), path);
  }

  static fromBytes(bytes: Uint8Array, name: string): Movie {
    let indexed: FrameIndexResult;
    let format: MovieFormat;
    if (looksLikeLabMovie(bytes)) {
      format = "lab";
      indexed = indexLabMovie(bytes);
    } else if (looksLikeConcatenatedJpeg(bytes)) {
      format = "mjpeg";
      indexed = indexConcatenatedJpeg(bytes);
    } else if (bytes.length === 0) {
      throw new MovieError(`${name}: empty file`);
    } else {
      throw new MovieError(`${name}: not a movie (neither 5 length digits then a JPEG, nor a JPEG's FFD8 at the start)`);
    }
    if (!indexed.ok) throw new MovieError(`${name}: frame ${indexed.error.frame}: ${indexed.error.problem}`);
    return new Movie(name, format, bytes, indexed.index);
  }

  /** The .jpg/.jpeg files of a folder, sorted by name, one frame each. */
  private static async openJpegFolder(path: string): Promise<Movie> {
    const names = (await readdir(path)).filter((name) => JPEG_FILE.test(name)).sort();
    if (names.length === 0) throw new MovieError(`${path}: no .jpg files in this folder`);
    const files = await Promise.all(names.map((name) => Bun.file(join(path, name)).bytes()));
    files.forEach((file, i) => {
      if (file[0] !== 0xff || file[1] !== 0xd8) {
        throw new MovieError(`${path}: frame ${i + 1} (${names[i]}): missing SOI (FFD8), not a JPEG`);
      }
    });
    return Movie.fromFrames(files, path, "jpeg-folder");
  }

  /** A movie held in memory from separate frames (laid end to end). */
  static fromFrames(frames: Uint8Array[], name: string, format: MovieFormat): Movie {
    if (frames.length === 0) throw new MovieError(`${name}: no frames`);
    const bytes = new Uint8Array(frames.reduce((sum, frame) => sum + frame.length, 0));
    const builder = new FrameIndexBuilder();
    let pos = 0;
    for (const frame of frames) {
      bytes.set(frame, pos);
      builder.add(pos, frame.length);
      pos += frame.length;
    }
    return new Movie(name, format, bytes, builder.build());
  }

  readonly frameCount: number;
  private cachedInfo?: MovieInfo;
  /** Per frame: 1 when it can travel as RTP/JPEG unchanged (filled by info()). */
  private transportable?: Uint8Array;
  private converted?: Promise<Movie>;

  private constructor(
    readonly name: string,
    readonly format: MovieFormat,
    private readonly bytes: Uint8Array,
    private readonly index: FrameIndex,
  ) {
    this.frameCount = index.offsets.length;
  }

  /** Frame `index` (0-based) as a view into the file's bytes, no copy. */
  frame(index: number): Uint8Array {
    if (!Number.isInteger(index) || index < 0 || index >= this.frameCount) {
      throw new MovieError(`${this.name}: no frame ${index + 1} (the movie has ${this.frameCount})`);
    }
    const offset = this.index.offsets[index];
    return this.bytes.subarray(offset, offset + this.index.lengths[index]);
  }

  /** Computed on first use (inspects frames), then cached. */
  info(): MovieInfo {
    if (this.cachedInfo) return this.cachedInfo;
    const transportable = new Uint8Array(this.frameCount);
    let rtpProblem: string | undefined;
    let first: ReturnType<typeof inspectJpeg> | undefined;
    for (let i = 0; i < this.frameCount; i++) {
      const frameInfo = this.inspectFrame(i);
      first ??= frameInfo;
      if (frameInfo.notTransportable === undefined) transportable[i] = 1;
      else rtpProblem ??= `frame ${i + 1}: ${frameInfo.notTransportable}`;
    }
    const sizes = this.index.lengths.slice().sort();
    const middle = sizes.length >> 1;
    const median = sizes.length % 2 ? sizes[middle] : (sizes[middle - 1] + sizes[middle]) / 2;
    this.transportable = transportable;
    this.cachedInfo = {
      name: this.name,
      format: this.format,
      frameCount: this.frameCount,
      bytes: this.bytes.length,
      frameSizes: { min: sizes[0], median, max: sizes[sizes.length - 1] },
      width: first!.width,
      height: first!.height,
      sampling: first!.sampling,
      rtpReady: rtpProblem === undefined,
      ...(rtpProblem === undefined ? {} : { rtpProblem }),
    };
    return this.cachedInfo;
  }

  /**
   * The frames as RFC 2435 can carry them: this movie itself when rtpReady, otherwise every frame converted once
   * to baseline 4:2:0 with the standard Huffman tables (cached on this Movie). Throws MovieError when impossible.
   * A converted movie keeps this one's name and format (it stands for the same file), its frames held in memory.
   */
  forRtp(): Promise<Movie> {
    if (this.info().rtpReady) return Promise.resolve(this);
    this.converted ??= convertFramesForRtp(this, this.transportable!).then((frames) =>
      Movie.fromFrames(frames, this.name, this.format),
    );
    return this.converted;
  }

  private inspectFrame(i: number) {
    try {
      return inspectJpeg(this.frame(i));
    } catch (error) {
      if (error instanceof JpegError) throw new MovieError(`${this.name}: frame ${i + 1}: ${error.message}`);
      throw error;
    }
  }
}
