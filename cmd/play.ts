// `rtsp play [URL]`: watch a stream in the terminal or a browser, or play it headless: save frames, write the report.
import { defineCommand } from "citty";
import { UsageError, dialectArg, parseInteger, parsePort, transportArg } from "../lib/cli/arguments.ts";
import { ClientSession } from "../lib/client/client-session.ts";
import { playHeadless, type PlayReport } from "../lib/client/play.ts";
import { formatProgress, formatSummary } from "../lib/client/report.ts";
import { playerExitCode, runPlayer } from "../lib/player/run-player.ts";

const DEFAULT_URL = "rtsp://127.0.0.1:8554/movie.Mjpeg";
const PROGRESS_INTERVAL_MS = 250;
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

type FrontEnd = "tui" | "web" | "none";

/** The one place that decides which front end runs: the terminal player on a TTY, headless otherwise. */
function chooseFrontEnd(ui: string, interactive: boolean): FrontEnd {
  return ui === "auto" ? (interactive ? "tui" : "none") : (ui as FrontEnd);
}

function exitCodeFor(report: PlayReport, signal: keyof typeof SIGNAL_EXIT_CODES | undefined): number {
  if (report.endedBy === "complete" || report.endedBy === "frames-limit") return 0;
  if (report.endedBy === "interrupted") return signal ? SIGNAL_EXIT_CODES[signal] : 130;
  return 1;
}

export default defineCommand({
  meta: { name: "play", description: "Play a stream: save frames, write the statistics report" },
  args: {
    url: { type: "positional", required: false, default: DEFAULT_URL, description: `Stream URL (default ${DEFAULT_URL})` },
    out: { type: "string", description: "Save every complete frame as DIR/NNNNN.jpg" },
    report: { type: "string", description: "Write the JSON statistics report to FILE" },
    "client-port": { type: "string", description: "Local RTP port (lab: client_port; standard: even, RTCP on +1); default any free" },
    ...dialectArg,
    ...transportArg,
    frames: { type: "string", description: "Stop after N frames" },
    timeout: { type: "string", default: "10", description: "Seconds without data before giving up" },
    ui: {
      type: "enum",
      options: ["auto", "tui", "web", "none"],
      default: "auto",
      description: "Front end: tui (terminal video, the default on a TTY), web (a page on 127.0.0.1), none (headless, the default off a TTY)",
    },
    "web-port": { type: "string", default: "8080", description: "Port of the web player on 127.0.0.1 (--ui web); 0 = any free" },
  },
  async run({ args }) {
    let options;
    try {
      options = {
        url: args.url || DEFAULT_URL,
        outDir: args.out,
        reportPath: args.report,
        clientPort: args["client-port"] === undefined ? undefined : parsePort("client-port", args["client-port"], { allowZero: true }),
        dialect: args.dialect as "auto" | "lab" | "rtsp",
        transport: args.transport as "auto" | "udp" | "tcp",
        frames: args.frames === undefined ? undefined : parseInteger("frames", args.frames, 1, 10_000_000),
        timeoutMs: parseInteger("timeout", args.timeout, 1, 86_400) * 1000,
        webPort: parsePort("web-port", args["web-port"], { allowZero: true }),
      };
    } catch (error) {
      if (error instanceof UsageError) {
        console.error(`rtsp play: ${error.message}`);
        process.exit(2);
      }
      throw error;
    }
    const interactive = Boolean(process.stdout.isTTY);
    const frontEnd = chooseFrontEnd(args.ui, interactive);
    if (frontEnd !== "none") {
      if (options.outDir || options.reportPath || options.frames) {
        console.error("rtsp play: --out, --report and --frames apply to headless play (--ui none); ignored here");
      }
      const session = await ClientSession.open({
        url: options.url,
        dialect: options.dialect,
        transport: options.transport,
        clientPort: options.clientPort,
        timeoutMs: options.timeoutMs,
        replyTimeoutMs: options.timeoutMs,
      }).catch((error: Error) => {
        console.error(`rtsp play: ${error.message}`);
        process.exit(1);
      });
      process.exit(playerExitCode(await runPlayer(frontEnd, session, { webPort: options.webPort })));
    }

    const controller = new AbortController();
    let caughtSignal: keyof typeof SIGNAL_EXIT_CODES | undefined;
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        caughtSignal = signal;
        controller.abort();
      });
    }

    let progress: ReturnType<typeof setInterval> | undefined;
    const showProgress = (session: ClientSession) => {
      if (!interactive) return;
      progress = setInterval(() => {
        process.stdout.write(`\r${formatProgress(session.stats(), session.totalFrames)}\x1b[K`);
      }, PROGRESS_INTERVAL_MS);
    };

    const report = await playHeadless({ ...options, signal: controller.signal, onSessionOpen: showProgress });
    clearInterval(progress);
    if (interactive) process.stdout.write("\r\x1b[K");
    const code = exitCodeFor(report, caughtSignal);
    if (report.framesReceived > 0 || code === 0) console.log(formatSummary(report));
    if (code !== 0) console.error(`rtsp play: ${report.error ?? report.endedBy}`);
    process.exit(code);
  },
});
