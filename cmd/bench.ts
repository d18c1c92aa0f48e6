// `rtsp bench [URL]`: frame pacing against the 50 ms target and how far one server scales.
import { basename, extname } from "node:path";
import { defineCommand } from "citty";
import { consola } from "consola";
import { dialectArg, parseInteger, parsePort, parsePositiveNumber, UsageError } from "../lib/cli/arguments.ts";
import { runBenchStep, type BenchStepReport } from "../lib/bench/bench-run.ts";
import { renderChartSvg } from "../lib/bench/chart-svg.ts";
import type { BenchDialect } from "../lib/bench/control-connection.ts";
import { detectDialect } from "../lib/bench/dialect.ts";
import { startLocalServer } from "../lib/bench/local-server.ts";
import { describeMachine } from "../lib/bench/machine.ts";
import type { BenchTransport } from "../lib/bench/probe-stream.ts";
import { formatReportTable } from "../lib/bench/report-table.ts";
import { defaultArrivalClock, UdpPortAllocator, type ArrivalClock } from "../lib/bench/udp-ports.ts";
import { KernelStampedSockets } from "../lib/bench/kernel-stamped-sockets.ts";

const MAX_CLIENTS = 5000;
const SETUP_BATCH = 50;

export default defineCommand({
  meta: {
    name: "bench",
    description: "Measure frame pacing against the 50 ms target, and how many streams one server sustains",
  },
  args: {
    url: {
      type: "positional",
      required: false,
      description: "Server to measure; without it, `rtsp serve` is started in a separate process on a free port",
    },
    clients: { type: "string", default: "1", description: "Concurrent streams, or a list (1,10,100,1000) to sweep, one fresh local server per step" },
    duration: { type: "string", default: "20", description: "Seconds measured once every stream is playing" },
    warmup: { type: "string", default: "0", description: "Seconds to let every stream play before measuring (leaves the setup transient out)" },
    json: { type: "string", description: "Write the full report (every step, every stream) as JSON to this file" },
    svg: { type: "string", description: "Write a chart of interval and deviation over time (one file per step when sweeping: NAME-<clients>.svg)" },
    ...dialectArg,
    transport: { type: "enum", options: ["udp", "tcp"], default: "udp", description: "RTP over UDP, or interleaved on the RTSP connection" },
    clock: {
      type: "enum",
      options: ["kernel", "callback"],
      default: defaultArrivalClock,
      description:
        "A UDP datagram's arrival time: when the kernel received it (Linux), or when the bench's callback ran, which adds the measuring process's own delays. TCP is always timed by callback",
    },
    "port-base": { type: "string", default: "40000", description: "First local UDP port of the measuring clients (two per stream)" },
    movie: { type: "string", description: "Movie for the local server (default: the bundled sample)" },
    "server-pid": { type: "string", description: "Sample this process's CPU and RSS (a server given by URL that runs on this machine)" },
  },
  async run({ args }) {
    let options: BenchOptions;
    try {
      options = parseOptions(args);
    } catch (error) {
      if (error instanceof UsageError) {
        console.error(`rtsp bench: ${error.message}`);
        process.exit(2);
      }
      throw error;
    }
    const machine = describeMachine();
    let steps: BenchStepReport[];
    try {
      steps = await runSteps(args, options);
    } catch (error) {
      console.error(`rtsp bench: ${(error as Error).message}`);
      process.exit(1);
    }

    console.log(formatReportTable(steps));
    if (args.json) await Bun.write(args.json, JSON.stringify({ machine, command: process.argv.slice(1), steps }, null, 2) + "\n");
    if (args.svg) {
      for (const step of steps) await Bun.write(chartPath(args.svg, step.clients, steps.length > 1), renderChartSvg(step));
    }
  },
});

/** One step per client count; without a URL each step gets its own fresh `rtsp serve`. */
async function runSteps(
  args: { url?: string; movie?: string; dialect: string },
  { clientSteps, durationSeconds, warmupSeconds, ports, transport, givenPid }: BenchOptions,
): Promise<BenchStepReport[]> {
  const steps: BenchStepReport[] = [];
  for (const clients of clientSteps) {
    const local = args.url
      ? undefined
      : await startLocalServer({ root: args.movie, moviePath: args.movie ? encodeURIComponent(basename(args.movie)) : "movie.Mjpeg" });
    try {
      const url = local?.url ?? args.url!;
      const dialect: BenchDialect = args.dialect === "auto" ? await detectDialect(url) : (args.dialect as BenchDialect);
      const warmup = warmupSeconds ? ` after ${warmupSeconds} s warm-up` : "";
      const lower = dialect === "lab" ? "udp" : transport;
      consola.info(`${clients} client(s) → ${url} (${dialect}, ${lower}, ${ports.clockFor(lower)} arrival times), ${durationSeconds} s${warmup}`);
      steps.push(
        await runBenchStep({
          url,
          clients,
          durationSeconds,
          warmupSeconds,
          dialect,
          transport: lower,
          ports,
          serverPid: local?.pid ?? givenPid,
          setupBatch: SETUP_BATCH,
          onProgress: (message) => consola.info(message),
        }),
      );
    } finally {
      await local?.stop();
    }
  }
  return steps;
}

interface BenchOptions {
  clientSteps: number[];
  durationSeconds: number;
  warmupSeconds: number;
  ports: UdpPortAllocator;
  transport: BenchTransport;
  givenPid: number | null;
}

function parseOptions(args: {
  url?: string;
  clients: string;
  duration: string;
  warmup: string;
  transport: string;
  clock: string;
  "port-base": string;
  movie?: string;
  "server-pid"?: string;
}): BenchOptions {
  if (args.url && args.movie) throw new UsageError("--movie is for the local server; a server given by URL serves its own");
  if (!args.url && args["server-pid"] !== undefined) {
    throw new UsageError("--server-pid is for a server given by URL; the local one is sampled anyway");
  }
  return {
    clientSteps: parseClientSteps(args.clients),
    durationSeconds: parsePositiveNumber("duration", args.duration),
    warmupSeconds: parseWarmup(args.warmup),
    ports: new UdpPortAllocator(parsePort("port-base", args["port-base"]), parseClock(args.clock)),
    transport: args.transport as BenchTransport,
    givenPid: args["server-pid"] === undefined ? null : parseInteger("server-pid", args["server-pid"], 1, 2 ** 22),
  };
}

function parseClock(value: string): ArrivalClock {
  if (value === "kernel" && !KernelStampedSockets.supported) {
    throw new UsageError("--clock kernel needs Linux with glibc (SO_TIMESTAMPNS through libc); use --clock callback");
  }
  return value as ArrivalClock;
}

function parseWarmup(value: string): number {
  const seconds = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`--warmup must be zero or a positive number of seconds, got "${value}"`);
  }
  return seconds;
}

function parseClientSteps(value: string): number[] {
  const steps = value.split(",").map((part) => parseInteger("clients", part, 1, MAX_CLIENTS));
  if (steps.length === 0) throw new UsageError("--clients needs at least one count");
  return steps;
}

function chartPath(path: string, clients: number, sweeping: boolean): string {
  if (!sweeping) return path;
  const extension = extname(path);
  return `${path.slice(0, path.length - extension.length)}-${clients}${extension || ".svg"}`;
}
