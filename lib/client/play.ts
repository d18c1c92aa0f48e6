// Headless playback: connect, set up, play to the end (or N frames), save frames, write the report.
// CONTRACT (owned by lib/client).
import { ClientError } from "./client-error.ts";
import { ClientSession } from "./client-session.ts";
import { FrameSink } from "./frame-sink.ts";
import { PlaybackStatistics } from "./playback-statistics.ts";
import { buildReport, writeReport } from "./report.ts";
import { withoutUserInfo } from "./rtsp-url.ts";

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
  /** Aborting ends the run as "interrupted" (teardown, report written). */
  signal?: AbortSignal;
  /** Called once the session is open, e.g. to draw live progress from session.stats(). */
  onSessionOpen?: (session: ClientSession) => void;
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
  /** From the server's RTCP sender reports (standard path): its counts, and the loss they show from its end. */
  server?: { packetCount: number; octetCount: number; packetsLost: number; lossFraction: number };
  endedBy: "complete" | "frames-limit" | "interrupted" | "server-gone" | "timeout" | "error";
  error?: string;
}

interface Outcome {
  endedBy: PlayReport["endedBy"];
  error?: string;
}

/** Replies wait this long at most, or less when the run's own timeout is shorter. */
const DEFAULT_REPLY_TIMEOUT_MS = 5000;
/** A teardown on the way out must not hold up an interrupted run for a full reply timeout. */
const TEARDOWN_WAIT_MS = 1000;

function outcomeOf(error: unknown): Outcome {
  if (error instanceof ClientError) {
    const endedBy = error.kind === "timeout" ? "timeout" : error.kind === "server-gone" ? "server-gone" : "error";
    return { endedBy, error: error.message };
  }
  return { endedBy: "error", error: error instanceof Error ? error.message : String(error) };
}

export async function playHeadless(options: PlayOptions): Promise<PlayReport> {
  const sink = options.outDir === undefined ? undefined : new FrameSink(options.outDir);
  let session: ClientSession;
  try {
    session = await ClientSession.open({
      url: options.url,
      dialect: options.dialect,
      transport: options.transport,
      clientPort: options.clientPort,
      timeoutMs: options.timeoutMs,
      replyTimeoutMs: Math.min(options.timeoutMs, DEFAULT_REPLY_TIMEOUT_MS),
    });
  } catch (error) {
    const report = buildReport(new PlaybackStatistics(20).snapshot(), {
      url: withoutUserInfo(options.url),
      dialect: options.dialect === "rtsp" ? "rtsp" : "lab",
      transport: options.transport === "tcp" ? "tcp" : "udp",
      framesExpected: options.frames ?? null,
      ...outcomeOf(error),
    });
    if (options.reportPath !== undefined) await writeReport(options.reportPath, report);
    return report;
  }
  options.onSessionOpen?.(session);

  const expected = () => {
    const total = session.totalFrames;
    if (options.frames === undefined) return total;
    return total === null ? options.frames : Math.min(total, options.frames);
  };

  const outcome = await new Promise<Outcome>((resolve) => {
    let received = 0;
    session.on("frame", (frame) => {
      sink?.save(frame.number, frame.jpeg);
      received++;
      if (options.frames !== undefined && received >= options.frames) resolve({ endedBy: "frames-limit" });
    });
    session.on("end", () => {
      const want = expected();
      const got = session.stats().framesReceived;
      if (want !== null && got < want) resolve({ endedBy: "error", error: `stream ended after ${got} of ${want} frames` });
      else resolve({ endedBy: "complete" });
    });
    session.on("error", (error) => resolve(outcomeOf(error)));
    if (options.signal?.aborted) resolve({ endedBy: "interrupted" });
    options.signal?.addEventListener("abort", () => resolve({ endedBy: "interrupted" }), { once: true });
    session.play().catch((error) => resolve(outcomeOf(error)));
  });

  if (outcome.endedBy !== "server-gone" && session.state !== "INIT") {
    const teardown = session.teardown().catch(() => undefined);
    await Promise.race([teardown, Bun.sleep(TEARDOWN_WAIT_MS)]);
  }
  session.close();
  await sink?.flush();
  const report = buildReport(session.stats(), {
    url: withoutUserInfo(options.url),
    dialect: session.dialect,
    transport: session.transport,
    framesExpected: expected(),
    ...outcome,
  });
  if (options.reportPath !== undefined) await writeReport(options.reportPath, report);
  return report;
}
