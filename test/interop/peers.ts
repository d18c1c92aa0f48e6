// Real processes for the interop suite: our `rtsp serve`, the GstRtspServer reference peer, ffmpeg and GStreamer
// pulls, and ffmpeg as the one decoder every side is judged by (it decodes the RFC 2435 frames GStreamer writes
// without EOI, see gstreamerPull).
import { afterAll, beforeAll } from "bun:test";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeTcpPort } from "../../lib/bench/loopback-listener.ts";
import { Movie } from "../../lib/media/movie.ts";

export const REPO = join(import.meta.dir, "..", "..");
export const BUNDLED_MOVIE = join(REPO, "media", "movie.Mjpeg");

export interface RunningPeer {
  url: string;
  stop(): Promise<void>;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after `timeoutMs`). */
export async function run(command: string[], timeoutMs: number): Promise<CommandResult> {
  const child = Bun.spawn(command, { stdout: "pipe", stderr: "pipe", timeout: timeoutMs, killSignal: "SIGKILL" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

/** Runs a command that must succeed; its stdout. */
export async function runOk(command: string[], timeoutMs: number): Promise<string> {
  const result = await run(command, timeoutMs);
  if (result.code !== 0) throw new Error(`${command.join(" ")} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

async function readUntil(stream: ReadableStream<Uint8Array>, pattern: RegExp, what: string): Promise<string> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${what} ended its output without ${pattern}: ${text}`);
    text += decoder.decode(value);
    const match = pattern.exec(text);
    if (match) {
      reader.releaseLock();
      return match[1] ?? match[0];
    }
  }
}

function stopper(child: ReturnType<typeof Bun.spawn>): () => Promise<void> {
  return async () => {
    child.kill("SIGTERM");
    await child.exited;
  };
}

/** `rtsp serve` on a free port of 127.0.0.1; its URL as printed on stdout. */
export async function startRtspServe(moviePath: string, fps: number): Promise<RunningPeer> {
  const child = Bun.spawn(["bun", join(REPO, "cmd", "rtsp.ts"), "serve", "--port", "0", "--host", "127.0.0.1", "--fps", String(fps), moviePath], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const url = await readUntil(child.stdout as ReadableStream<Uint8Array>, /rtsp:\/\/127\.0\.0\.1:\d+\/\S+/, "rtsp serve");
  return { url, stop: stopper(child) };
}

/** test/peers/gst-rtsp-server.py serving a lab-format movie's frames at 20 fps, looping. */
export async function startGstRtspServer(moviePath: string): Promise<RunningPeer> {
  const port = await freeTcpPort();
  const child = Bun.spawn(["/usr/bin/python3", join(REPO, "test", "peers", "gst-rtsp-server.py"), "--port", String(port), moviePath], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const url = await readUntil(child.stdout as ReadableStream<Uint8Array>, /^ready (\S+)$/m, "gst-rtsp-server.py");
  return { url, stop: stopper(child) };
}

/** The md5 column of `-f framemd5` output, one per decoded frame. */
function frameMd5s(output: string): string[] {
  return output
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => line.split(",").at(-1)!.trim());
}

/** The movie's frames laid end to end as a .mjpeg file (what ffmpeg's mjpeg demuxer reads). */
export async function writeConcatenated(movie: Movie, path: string): Promise<string> {
  await Bun.write(path, Buffer.concat(Array.from({ length: movie.frameCount }, (_, i) => movie.frame(i))));
  return path;
}

export interface BundledMovieSuite {
  movie: Movie;
  /** A fresh temporary folder for the suite's files, removed after its tests. */
  scratch: string;
  /** ffmpeg's decode of each of the movie's frames, as md5s: what every receiver is judged by. */
  sourceMd5s: string[];
  /** The peer the suite's tests talk to, stopped after them. */
  server: RunningPeer;
}

/**
 * For a suite: before its tests, the bundled movie opened, its frames decoded once as the reference, and the peer
 * started; after them, the peer stopped and the scratch folder removed. The fields are filled in by beforeAll.
 */
export function bundledMovieSuite(scratchPrefix: string, startPeer: () => Promise<RunningPeer>): BundledMovieSuite {
  const suite = {} as BundledMovieSuite;
  beforeAll(async () => {
    suite.movie = await Movie.open(BUNDLED_MOVIE);
    suite.scratch = await mkdtemp(join(tmpdir(), scratchPrefix));
    suite.sourceMd5s = await decodedMd5sOfMjpeg(await writeConcatenated(suite.movie, join(suite.scratch, "source.mjpeg")));
    suite.server = await startPeer();
  }, 60_000);
  afterAll(async () => {
    await suite.server?.stop();
    if (suite.scratch) await rm(suite.scratch, { recursive: true, force: true });
  });
  return suite;
}

/** ffmpeg's decode of every frame of a .mjpeg file, as md5s; any decoder complaint fails. */
export async function decodedMd5sOfMjpeg(path: string): Promise<string[]> {
  return decodedMd5s(["-f", "mjpeg", "-i", path]);
}

/** ffmpeg's decode of DIR/00000.jpg, 00001.jpg, … (from `first`), as md5s; any decoder complaint fails. */
export async function decodedMd5sOfFolder(dir: string, first = 0): Promise<string[]> {
  return decodedMd5s(["-f", "image2", "-start_number", String(first), "-i", join(dir, "%05d.jpg")]);
}

async function decodedMd5s(input: string[]): Promise<string[]> {
  const { code, stdout, stderr } = await run(["ffmpeg", "-v", "error", ...input, "-map", "0:v", "-f", "framemd5", "-"], 60_000);
  if (code !== 0 || stderr !== "") throw new Error(`ffmpeg could not decode ${input.at(-1)} cleanly: ${stderr}`);
  return frameMd5s(stdout);
}

/** `ffmpeg -rtsp_transport X -i URL -map 0:v -f framemd5 -`: what ffmpeg decodes off the stream. */
export async function ffmpegPullMd5s(url: string, transport: "udp" | "tcp", timeoutMs: number): Promise<string[]> {
  return frameMd5s(await runOk(["ffmpeg", "-v", "error", "-rtsp_transport", transport, "-i", url, "-map", "0:v", "-f", "framemd5", "-"], timeoutMs));
}

export interface GstreamerPull {
  /**
   * gst-launch's exit code; null when it had to be stopped. Not a verdict on the stream: now and then rtspsrc's PAUSE
   * on the way out races its own TEARDOWN and fails ("Received end-of-file"), making it exit 1 after a complete pull.
   */
  code: number | null;
  /** The frames rtpjpegdepay assembled, file names in order (00000.jpg, …). */
  files: string[];
  stderr: string;
}

/**
 * rtspsrc → rtpjpegdepay → one file per frame. It ends by itself on the server's end-of-stream BYE; `stopAfterMs`
 * bounds a stream that never ends. GStreamer 1.22's rtpjpegdepay appends no EOI to a frame whose last scan byte
 * happens to be D9 (its check reads `!= 0xff && != 0xd9`), so those files lack EOI: ffmpeg decodes them regardless.
 */
export async function gstreamerPull(url: string, protocol: "udp" | "tcp", dir: string, stopAfterMs: number): Promise<GstreamerPull> {
  await mkdir(dir, { recursive: true });
  const child = Bun.spawn(
    ["gst-launch-1.0", "-q", "rtspsrc", `location=${url}`, `protocols=${protocol}`, "!", "rtpjpegdepay", "!", "multifilesink", `location=${join(dir, "%05d.jpg")}`],
    { stdout: "ignore", stderr: "pipe" },
  );
  let stopped = false;
  const timer = setTimeout(() => {
    stopped = true;
    child.kill("SIGINT");
  }, stopAfterMs);
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  clearTimeout(timer);
  const files = (await readdir(dir)).filter((name) => name.endsWith(".jpg")).sort();
  return { code: stopped ? null : code, files, stderr };
}
