// A growable FIFO of bytes for the stream reader: append at the tail, consume from the head, both amortized O(1),
// so byte-by-byte delivery of a large message stays linear.

const INITIAL_CAPACITY = 4096;

export class ByteQueue {
  private bytes = new Uint8Array(INITIAL_CAPACITY);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  /** The byte at `index` counted from the head; callers stay below `length`. */
  at(index: number): number {
    return this.bytes[this.start + index];
  }

  append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.bytes.length) {
      let capacity = this.bytes.length;
      while (this.length + chunk.length > capacity) capacity *= 2;
      if (capacity === this.bytes.length) {
        this.bytes.copyWithin(0, this.start, this.end);
      } else {
        const grown = new Uint8Array(capacity);
        grown.set(this.bytes.subarray(this.start, this.end));
        this.bytes = grown;
      }
      this.end = this.length;
      this.start = 0;
    }
    this.bytes.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** A view of [from, to) valid until the next append or consume. */
  view(from: number, to: number): Uint8Array {
    return this.bytes.subarray(this.start + from, this.start + to);
  }

  /** An owned copy of [from, to). */
  copy(from: number, to: number): Uint8Array {
    return this.bytes.slice(this.start + from, this.start + to);
  }

  consume(count: number): void {
    this.start += Math.min(count, this.length);
    if (this.start === this.end) this.clear();
  }

  clear(): void {
    this.start = 0;
    this.end = 0;
    // A burst may have grown the buffer; give the memory back once it is drained.
    if (this.bytes.length > INITIAL_CAPACITY * 16) this.bytes = new Uint8Array(INITIAL_CAPACITY);
  }
}
