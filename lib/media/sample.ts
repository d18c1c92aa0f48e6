// The bundled sample movie (embedded into the compiled binary) and the generator that made it.
// CONTRACT (owned by lib/media).
export interface SampleOptions {
  frames: number;
  width: number;
  height: number;
}
/** Lab-format bytes of a generated movie: moving content, frame number drawn large, baseline 4:2:0 frames. */
export declare function makeSampleMovie(options: SampleOptions): Uint8Array;
/** Path of the bundled media/movie.Mjpeg (works inside the compiled binary via Bun's embedded files). */
export declare const bundledMoviePath: string;
