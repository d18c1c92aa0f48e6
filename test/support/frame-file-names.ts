// The five-digit names frames are saved under: 00000.jpg… by GStreamer's multifilesink, 00001.jpg… by `rtsp play`.
// Written out here rather than taken from lib/client/frame-sink.ts, so a test of the client's names can fail.

/** `count` consecutive names from `first`. */
export function frameFileNames(count: number, first = 0): string[] {
  return Array.from({ length: count }, (_, i) => `${String(first + i).padStart(5, "0")}.jpg`);
}
