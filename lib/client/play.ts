// Headless playback: connect, set up, play to the end (or N frames), save frames, write the report.
// CONTRACT (owned by lib/client).

export interface PlayOptions {
  url: string; // default rtsp://127.0.0.1:8554/movie.Mjpeg
  outDir?: string; // frames saved as DIR/NNNNN.jpg, numbered by frame (1-based)
  reportPath?: string; // JSON statistics report
  clientPort?: number; // RTP port (lab: the port sent in client_port=; standard: even port, RTCP on +1); 0/undefined = any free
  dialect: "auto" | "lab" | "rtsp";
  transport: "auto" | "udp" | "tcp";
  frames?: number; // stop after N frames
  /** No data within this many ms ends the run with an error. */
  timeoutMs: number;
}

/** Statistics report (written as JSON, summarized on stdout). Field names are part of the contract. */
export interface PlayReport {
  url: string;
  dialect: "lab" | "rtsp";
  transport: "udp" | "tcp";
  framesReceived: number;
  framesExpected: number | null;
  framesDropped: number; // incomplete frames discarded
  bytes: number; // payload bytes of complete frames
  durationSeconds: number;
  dataRateBitsPerSecond: number;
  packets: { received: number; expected: number; lost: number; lossRate: number; late: number; outOfOrder: number; duplicates: number };
  jitterMs: number; // RFC 3550 interarrival jitter, in ms
  interFrameIntervalMs: { targetMs: number; mean: number; p50: number; p99: number; max: number };
  driftMs: number; // last frame's arrival minus its ideal due time (first frame + n × period)
  firstFrameAfterPlayMs: number | null;
  server?: { packetCount: number; octetCount: number; lossFraction?: number }; // from RTCP SR (standard path)
  endedBy: "complete" | "frames-limit" | "interrupted" | "server-gone" | "timeout" | "error";
  error?: string;
}

export declare function playHeadless(options: PlayOptions): Promise<PlayReport>;
