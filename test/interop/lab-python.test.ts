// The classic lab, both ways: the lab's own Python client (test/peers/lab-client.py, a headless transcription of the
// report's Client.py) against `rtsp serve`, and `rtsp play` against the lab's own Python server (test/peers/lab-server.py).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { freeTcpPort, freeUdpPort, waitForTcpListener } from "../../lib/bench/loopback-listener.ts";
import type { PlayReport } from "../../lib/client/play.ts";
import { Movie } from "../../lib/media/movie.ts";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import { frameFileNames } from "../support/frame-file-names.ts";
import { REPO, run, startRtspServe, type RunningPeer } from "./peers.ts";

const FRAMES = 60;
const FPS = 20;
const LAB_CLIENT = join(REPO, "test", "peers", "lab-client.py");
const LAB_SERVER = join(REPO, "test", "peers", "lab-server.py");
const RTSP = join(REPO, "cmd", "rtsp.ts");

/** What lab-client.py prints at the end (see its docstring). */
interface LabClientResult {
  version: string;
  session: number;
  totalFrames: number | null;
  frames: number[];
  packets: number[];
  bytes: number;
  lost: number;
  lossRate: number | null;
  description: string | null;
  replies: string[];
  steps: { press: string; request: string | null; reply: string | null; packetsAtReply: number; packetsMidway: number; packetsAtEnd: number }[];
  errors: string[];
}

let scratch: string;
let movie: Movie;
let server: RunningPeer;
let serverPort: number;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "rtsp-interop-lab-python-"));
  const bytes = makeSampleMovie({ frames: FRAMES, width: 384, height: 288 });
  const moviePath = join(scratch, "movie.Mjpeg");
  await Bun.write(moviePath, bytes);
  movie = Movie.fromBytes(bytes, "movie.Mjpeg");
  server = await startRtspServe(moviePath, FPS);
  serverPort = Number(new URL(server.url).port);
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** Runs lab-client.py through `script`; its exit code and result, with the frames it displayed saved in `out`. */
async function runLabClient(version: "1.0" | "1.4", script: string[], out: string) {
  const rtpPort = await freeUdpPort();
  const command = ["/usr/bin/python3", LAB_CLIENT, "--port", String(serverPort), "--rtp-port", String(rtpPort)];
  command.push("--version", version, "--out", out, "--script", script.join(","));
  const { code, stdout, stderr } = await run(command, 30_000);
  const lastLine = stdout.trim().split("\n").at(-1) ?? "";
  if (!lastLine.startsWith("{")) throw new Error(`lab-client.py printed no result (exit ${code}): ${stderr}`);
  return { code, rtpPort, result: JSON.parse(lastLine) as LabClientResult };
}

/** Every saved file, in order, must be the movie's frame with the sequence number displayed at that place. */
async function expectFramesAsSent(dir: string, sequenceNumbers: number[]) {
  expect((await readdir(dir)).sort()).toEqual(frameFileNames(sequenceNumbers.length, 1));
  for (const [i, sequence] of sequenceNumbers.entries()) {
    const saved = new Uint8Array(await Bun.file(join(dir, frameFileNames(1, i + 1)[0])).arrayBuffer());
    expect(Buffer.from(saved).equals(movie.frame(sequence - 1))).toBe(true);
  }
}

/** The reply parsed as the lab client parses it: status from line 1, `CSeq: n` line 2, `Session: n` line 3. */
function labReplyFields(reply: string) {
  const lines = reply.split("\n");
  return {
    status: lines[0],
    cseq: Number.parseInt(lines[1].split(" ")[1], 10),
    session: Number.parseInt(lines[2].split(" ")[1], 10),
    line4: lines[3],
  };
}

function isRun(numbers: number[]): boolean {
  return numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1);
}

function totalBytes(sequenceNumbers: number[]): number {
  return sequenceNumbers.reduce((sum, sequence) => sum + movie.frame(sequence - 1).length, 0);
}

describe("the lab's Python client against rtsp serve", () => {
  test(
    "RTSP/1.0: SETUP, PLAY, PAUSE, PLAY, DESCRIBE, TEARDOWN; the frames resume where they paused, each byte-identical",
    async () => {
      const out = join(scratch, "lab-client-1.0");
      const { code, rtpPort, result } = await runLabClient("1.0", ["setup", "play:1.0", "pause:1.0", "play:1.0", "describe", "teardown"], out);
      expect(result.errors).toEqual([]);
      expect(code).toBe(0);

      const session = result.session;
      const requests = result.steps.map((step) => step.request);
      expect(requests).toEqual([
        `SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${rtpPort}`,
        `PLAY movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: ${session}`,
        `PAUSE movie.Mjpeg RTSP/1.0\nCSeq: 3\nSession: ${session}`,
        `PLAY movie.Mjpeg RTSP/1.0\nCSeq: 4\nSession: ${session}`,
        `DESCRIBE movie.Mjpeg RTSP/1.0\nCSeq: 5\nSession: ${session}`,
        `TEARDOWN movie.Mjpeg RTSP/1.0\nCSeq: 6\nSession: ${session}`,
      ]);
      expect(result.replies.map(labReplyFields)).toEqual(
        result.replies.map((_, i) => expect.objectContaining({ status: "RTSP/1.0 200 OK", cseq: i + 1, session })),
      );

      const [, firstPlay, pause, secondPlay] = result.steps;
      expect(firstPlay.packetsAtEnd).toBeGreaterThan(0);
      // Half-way through the pause every frame sent before it has arrived; none may follow.
      expect(pause.packetsAtEnd).toBe(pause.packetsMidway);
      expect(secondPlay.packetsAtEnd).toBeGreaterThan(pause.packetsAtEnd);
      // Resumed where it paused: one run from frame 1, nothing repeated, nothing skipped, nothing discarded as late.
      expect(result.frames[0]).toBe(1);
      expect(isRun(result.frames)).toBe(true);
      expect(result.packets).toEqual(result.frames);
      await expectFramesAsSent(out, result.frames);
      expect(result).toMatchObject({ bytes: totalBytes(result.frames), lost: 0, lossRate: 0 });

      const description = result.description?.split("\n") ?? [];
      expect(description.slice(0, 8)).toEqual([
        "DESCRIPTION",
        "The video file : movie.Mjpeg",
        expect.stringMatching(/^Video size = \d+\.\d\d MB$/),
        "Transport protocol :RTP",
        "Version : 1.0",
        `RTP port :${rtpPort}`,
        `StreamID =${session}`,
        'Type of the video : "video/Mjpeg"',
      ]);
    },
    60_000,
  );

  test(
    "RTSP/1.4: Frames: 60 on line 4 of every reply; FORWARD skips 20 frames, BACKWARD goes back 20, RESTART returns to frame 1",
    async () => {
      const out = join(scratch, "lab-client-1.4");
      const script = ["setup", "play:0.5", "pause:0.5", "forward", "play:0.5", "pause:0.5", "backward", "play:0.5", "pause:0.5", "restart", "play:0.5", "teardown"];
      const { code, result } = await runLabClient("1.4", script, out);
      expect(result.errors).toEqual([]);
      expect(code).toBe(0);

      expect(result.totalFrames).toBe(FRAMES);
      expect(result.replies.map(labReplyFields)).toEqual(
        result.replies.map((_, i) =>
          expect.objectContaining({ status: "RTSP/1.4 200 OK", cseq: i + 1, session: result.session, line4: `Frames: ${FRAMES}` }),
        ),
      );
      expect(result.steps.map((step) => step.request?.split("\n")[0])).toEqual(script.map((press) => `${press.split(":")[0].toUpperCase()} movie.Mjpeg RTSP/1.4`));

      // Seeks are pressed while paused, so each play is one unbroken run; the pauses mark where one ends.
      const pauses = result.steps.filter((step) => step.press.startsWith("pause"));
      for (const pause of pauses) expect(pause.packetsAtEnd).toBe(pause.packetsMidway);
      const ends = [...pauses.map((pause) => pause.packetsAtEnd), result.frames.length];
      const runs = ends.map((end, i) => result.frames.slice(i === 0 ? 0 : ends[i - 1], end));
      for (const played of runs) {
        expect(played.length).toBeGreaterThan(0);
        expect(isRun(played)).toBe(true);
      }
      const [first, afterForward, afterBackward, afterRestart] = runs;
      expect(first[0]).toBe(1);
      expect(afterForward[0]).toBe(first.at(-1)! + 1 + 20);
      expect(afterBackward[0]).toBe(afterForward.at(-1)! + 1 - 20);
      expect(afterRestart[0]).toBe(1);

      // The lab client moves its own mark with each seek, so no frame was taken for late or lost.
      expect(result.packets).toEqual(result.frames);
      await expectFramesAsSent(out, result.frames);
      expect(result).toMatchObject({ bytes: totalBytes(result.frames), lost: 0, lossRate: 0 });
    },
    60_000,
  );
});

describe("rtsp play against the lab's Python server", () => {
  let labServer: Subprocess | undefined;
  let labUrl: string;

  beforeAll(async () => {
    const port = await freeTcpPort();
    labServer = Bun.spawn(["/usr/bin/python3", LAB_SERVER, "--port", String(port), join(scratch, "movie.Mjpeg")], {
      stdout: "ignore",
      stderr: "inherit",
    });
    await waitForTcpListener(port, { timeoutMs: 10_000, retryMs: 50, child: labServer });
    labUrl = `rtsp://127.0.0.1:${port}/movie.Mjpeg`;
  }, 30_000);

  afterAll(async () => {
    labServer?.kill("SIGTERM");
    await labServer?.exited;
  });

  for (const dialect of ["lab", "auto"] as const) {
    test(
      `--dialect ${dialect}: exit 0, all ${FRAMES} frames saved byte-identical, the report's counts right`,
      async () => {
        const out = join(scratch, `play-${dialect}`);
        const reportPath = join(scratch, `play-${dialect}.json`);
        const { code, stderr } = await run(["bun", RTSP, "play", "--dialect", dialect, "--ui", "none", "--out", out, "--report", reportPath, labUrl], 30_000);
        expect({ code, stderr }).toEqual({ code: 0, stderr: "" });

        const everyFrame = Array.from({ length: FRAMES }, (_, i) => i + 1);
        await expectFramesAsSent(out, everyFrame);
        const report = (await Bun.file(reportPath).json()) as PlayReport;
        expect(report).toMatchObject({
          dialect: "lab",
          transport: "udp",
          framesReceived: FRAMES,
          framesDropped: 0,
          bytes: totalBytes(everyFrame),
          endedBy: "complete",
        });
        expect(report.packets).toMatchObject({ received: FRAMES, expected: FRAMES, lost: 0, lossRate: 0, duplicates: 0 });
      },
      60_000,
    );
  }
});
