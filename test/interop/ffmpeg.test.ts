// Real players against the real binary: ffprobe must see MJPEG of the right size and rate over UDP and TCP, and
// ffmpeg must decode every frame of the bundled movie exactly as it decodes the source JPEGs.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Movie } from "../../lib/media/movie.ts";

const REPO = join(import.meta.dir, "..", "..");
const MOVIE = join(REPO, "media", "movie.Mjpeg");
// Faster than the lab's 20 fps so the whole movie streams in seconds; the rate is what ffprobe must report.
const FPS = 50;

let server: ReturnType<typeof Bun.spawn>;
let url: string;
let movie: Movie;
let scratch: string;

async function readUntil(stream: ReadableStream<Uint8Array>, pattern: RegExp): Promise<RegExpExecArray> {
  const decoder = new TextDecoder();
  let text = "";
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`server output ended without ${pattern}: ${text}`);
    text += decoder.decode(value);
    const match = pattern.exec(text);
    if (match) {
      reader.releaseLock();
      return match;
    }
  }
}

async function run(command: string[]): Promise<string> {
  const child = Bun.spawn(command, { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`${command.join(" ")} exited ${code}: ${stderr}`);
  return stdout;
}

/** The md5 column of `-f framemd5` output, one per decoded frame. */
function frameMd5s(output: string): string[] {
  return output
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => line.split(",").at(-1)!.trim());
}

beforeAll(async () => {
  movie = await Movie.open(MOVIE);
  scratch = await mkdtemp(join(tmpdir(), "rtsp-interop-"));
  server = Bun.spawn(["bun", join(REPO, "cmd", "rtsp.ts"), "serve", "--port", "0", "--host", "127.0.0.1", "--fps", String(FPS), MOVIE], {
    stdout: "pipe",
    stderr: "inherit",
  });
  url = (await readUntil(server.stdout as ReadableStream<Uint8Array>, /rtsp:\/\/127\.0\.0\.1:\d+\/movie\.Mjpeg/))[0];
}, 30_000);

afterAll(async () => {
  server.kill("SIGTERM");
  await server.exited;
  await rm(scratch, { recursive: true, force: true });
});

describe("ffmpeg interop", () => {
  test.each(["udp", "tcp"])("ffprobe over %s sees MJPEG at the movie's size and the served rate", async (transport) => {
    const output = await run(["ffprobe", "-v", "error", "-rtsp_transport", transport, "-show_streams", "-of", "json", url]);
    const [stream] = JSON.parse(output).streams;
    const info = movie.info();
    expect(stream).toMatchObject({ codec_name: "mjpeg", width: info.width, height: info.height, r_frame_rate: `${FPS}/1` });
  }, 30_000);

  test("ffmpeg over TCP decodes every frame exactly like the source frames", async () => {
    const source = join(scratch, "source.mjpeg");
    await Bun.write(source, Buffer.concat(Array.from({ length: movie.frameCount }, (_, i) => movie.frame(i))));
    const expected = frameMd5s(await run(["ffmpeg", "-v", "error", "-f", "mjpeg", "-i", source, "-f", "framemd5", "-"]));
    const received = frameMd5s(await run(["ffmpeg", "-v", "error", "-rtsp_transport", "tcp", "-i", url, "-f", "framemd5", "-"]));
    expect(expected).toHaveLength(movie.frameCount);
    expect(received).toEqual(expected);
  }, 60_000);
});
