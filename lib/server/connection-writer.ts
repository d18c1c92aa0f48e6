// Ordered output on one RTSP connection (replies and interleaved packets share it). Bun's socket.write returns
// how many bytes it took; the rest is queued here and finished on `drain`, so no caller ever blocks.
import type { Socket } from "bun";

export class ConnectionWriter {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private closed = false;

  constructor(private readonly socket: Socket<unknown>) {}

  get queuedBytes(): number {
    return this.queued;
  }

  /** `bytes` may be a scratch buffer: whatever is not written at once is copied. */
  write(bytes: Uint8Array): void {
    if (this.closed) return;
    let written = 0;
    if (this.queue.length === 0) written = Math.max(0, this.socket.write(bytes));
    if (written < bytes.length) {
      this.queue.push(bytes.slice(written));
      this.queued += bytes.length - written;
    }
  }

  /** Call from the socket's drain handler. */
  drain(): void {
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue[0];
      const written = Math.max(0, this.socket.write(head));
      this.queued -= written;
      if (written < head.length) {
        this.queue[0] = head.subarray(written);
        return;
      }
      this.queue.shift();
    }
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queued = 0;
  }
}
