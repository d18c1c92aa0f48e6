// Where each frame of a movie sits in the file's bytes: built once when the movie is opened.

export interface FrameIndex {
  offsets: Uint32Array;
  lengths: Uint32Array;
}

/** Collects offsets and lengths into typed arrays, doubling their capacity as frames are found. */
export class FrameIndexBuilder {
  private offsets = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  count = 0;

  add(offset: number, length: number) {
    if (this.count === this.offsets.length) {
      const offsets = new Uint32Array(this.count * 2);
      const lengths = new Uint32Array(this.count * 2);
      offsets.set(this.offsets);
      lengths.set(this.lengths);
      this.offsets = offsets;
      this.lengths = lengths;
    }
    this.offsets[this.count] = offset;
    this.lengths[this.count] = length;
    this.count++;
  }

  build(): FrameIndex {
    return { offsets: this.offsets.slice(0, this.count), lengths: this.lengths.slice(0, this.count) };
  }
}

/** A frame index problem: the 1-based frame number and what is wrong with it. */
export interface FrameProblem {
  frame: number;
  problem: string;
}

export type FrameIndexResult = { ok: true; index: FrameIndex } | { ok: false; error: FrameProblem };
