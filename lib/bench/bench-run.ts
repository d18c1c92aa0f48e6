// One bench step: N measuring clients against one server for a fixed window, and what they measured.
import type { BenchDialect } from "./control-connection.ts";
import { measureStream, poolStreams, type PooledPacing, type StreamPacing } from "./pacing.ts";
import { ProbeStream, type BenchTransport } from "./probe-stream.ts";
import { ProcessSampler, type ProcessUsage } from "./proc-stat.ts";
import { buildTimeline, type TimelinePoint } from "./timeline.ts";
import type { ArrivalClock, UdpPortAllocator } from "./udp-ports.ts";

export interface BenchStepOptions {
  url: string;
  clients: number;
  durationSeconds: number;
  /** Seconds between the last PLAY reply and the window opening, so a setup transient can be left out. */
  warmupSeconds: number;
  dialect: BenchDialect;
  transport: BenchTransport;
  ports: UdpPortAllocator;
  /** The server's process, sampled through /proc when it runs on this machine. */
  serverPid: number | null;
  /** Streams set up concurrently; batches keep setup from being the bottleneck (or a SYN flood). */
  setupBatch: number;
  onProgress?: (message: string) => void;
}

export interface BenchStepReport {
  url: string;
  dialect: BenchDialect;
  transport: BenchTransport;
  clients: number;
  /** Streams that reached PLAY. */
  streamsPlaying: number;
  setupFailures: number;
  firstSetupError?: string;
  setupSeconds: number;
  warmupSeconds: number;
  /** The measurement window: from the last PLAY reply (every stream playing) plus the warm-up, to the end of the run. */
  windowSeconds: number;
  periodMs: number;
  /** Whose time the arrivals are: the kernel's (UDP where it can be read) or the measuring callback's. */
  arrivalClock: ArrivalClock;
  pacing: PooledPacing;
  server: ProcessUsage | null;
  /** The bench process itself, % of one core over the window: near 100 means the measurer, not the server, limits. */
  measurer: { cpuPercent: number };
  streams: StreamPacing[];
  timeline: TimelinePoint[];
}

const TEARDOWN_BATCH = 100;
/**
 * How long a throwaway stream plays before the measured ones. Where a frame's arrival is stamped when its callback runs
 * (TCP, or `--clock callback`), the measurer's own first-call work (JIT compilation of the reply and packet paths,
 * ~2-3 ms) would otherwise land in the first stream's first frame.
 */
const MEASURER_WARM_UP_MS = 500;

export async function runBenchStep(options: BenchStepOptions): Promise<BenchStepReport> {
  const progress = options.onProgress ?? (() => {});
  // Made before any stream plays: its construction runs `getconf` synchronously (~10 ms), which right after a PLAY
  // reply delayed reading frame 0 and made the server's first frame look late.
  const serverSampler = options.serverPid === null ? undefined : new ProcessSampler(options.serverPid);
  await warmUpMeasurer(options);
  const setupStart = performance.now();
  const streams: ProbeStream[] = [];
  const errors: string[] = [];
  for (let first = 0; first < options.clients; first += options.setupBatch) {
    const batch = Math.min(options.setupBatch, options.clients - first);
    const outcomes = await Promise.allSettled(
      Array.from({ length: batch }, () =>
        ProbeStream.play({ url: options.url, dialect: options.dialect, transport: options.transport, ports: options.ports }),
      ),
    );
    for (const outcome of outcomes) {
      if (outcome.status === "fulfilled") streams.push(outcome.value);
      else errors.push((outcome.reason as Error).message);
    }
    if (options.clients > options.setupBatch) progress(`${streams.length}/${options.clients} streams playing`);
  }
  if (streams.length === 0) throw new Error(`no stream could be set up: ${errors[0] ?? "no clients requested"}`);
  const setupSeconds = (performance.now() - setupStart) / 1000;

  const windowStart = Math.max(...streams.map((stream) => stream.playReplyMs!)) + options.warmupSeconds * 1000;
  await Bun.sleep(Math.max(0, windowStart - performance.now()));
  serverSampler?.start();
  const cpuBefore = process.cpuUsage();
  await Bun.sleep(Math.max(0, windowStart + options.durationSeconds * 1000 - performance.now()));
  const windowEnd = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const server = serverSampler?.stop() ?? null;
  options.ports.drain();

  const windowed = streams.map((stream) => stream.arrivals.between(windowStart, windowEnd));
  for (let first = 0; first < streams.length; first += TEARDOWN_BATCH) {
    await Promise.all(streams.slice(first, first + TEARDOWN_BATCH).map((stream) => stream.close()));
  }

  const periodMs = streams[0].periodMs;
  const measured = streams.map((stream, i) => measureStream({ frames: windowed[i], firstFrameAfterPlayMs: stream.firstFrameAfterPlayMs }, periodMs));
  const windowMs = windowEnd - windowStart;
  return {
    url: options.url,
    dialect: options.dialect,
    transport: options.transport,
    clients: options.clients,
    streamsPlaying: streams.length,
    setupFailures: errors.length,
    ...(errors.length > 0 ? { firstSetupError: errors[0] } : {}),
    setupSeconds,
    warmupSeconds: options.warmupSeconds,
    windowSeconds: windowMs / 1000,
    periodMs,
    arrivalClock: options.ports.clockFor(options.transport),
    pacing: poolStreams(measured),
    server,
    measurer: { cpuPercent: (100 * (cpu.user + cpu.system)) / 1000 / windowMs },
    streams: measured.map((stream) => stream.pacing),
    timeline: buildTimeline(measured, periodMs, windowStart, windowEnd),
  };
}

/** Best effort: a server that refuses the throwaway stream refuses the measured ones too, and says so there. */
async function warmUpMeasurer(options: BenchStepOptions): Promise<void> {
  const stream = await ProbeStream.play({ url: options.url, dialect: options.dialect, transport: options.transport, ports: options.ports }).catch(
    () => undefined,
  );
  if (!stream) return;
  await Bun.sleep(MEASURER_WARM_UP_MS);
  await stream.close();
}
