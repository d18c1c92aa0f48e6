// Saves complete frames as DIR/NNNNN.jpg, numbered by frame (1-based, 5 digits like the lab's frame numbers).
import { mkdirSync } from "node:fs";
import { join } from "node:path";

function frameFileName(frameNumber: number): string {
  return `${String(frameNumber).padStart(5, "0")}.jpg`;
}

export class FrameSink {
  private readonly writes: Promise<unknown>[] = [];

  constructor(private readonly directory: string) {
    mkdirSync(directory, { recursive: true });
  }

  save(frameNumber: number, jpeg: Uint8Array): void {
    this.writes.push(Bun.write(join(this.directory, frameFileName(frameNumber)), jpeg));
  }

  /** Resolves when every frame handed over so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all(this.writes.splice(0));
  }
}
