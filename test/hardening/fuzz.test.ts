// Seeded random and mutated requests against `rtsp serve` as a child: it never crashes or hangs, its memory stays
// bounded, and a normal client still gets every frame afterwards.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { playHeadless } from "../../lib/client/play.ts";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import corpus from "../rtsp/corpus.json" with { type: "json" };
import { mutate, randomBytes, seededRandom } from "../rtp/seeded-random.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";

const INPUTS = 3000;
const WORKERS = 16;
/** How long one input waits for an answer before its connection is dropped (lab requests are answered after 15 ms). */
const ANSWER_WAIT_MS = 40;
const FRAMES = 20;
/** Generous: a leak of a few bytes per input stays well under it, one of every reply or session goes over. */
const RSS_GROWTH_BOUND = 150 * 1024 * 1024;

let folder: string;
let server: ServerProcess;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "rtsp-fuzz-"));
  await writeFile(join(folder, "movie.Mjpeg"), makeSampleMovie({ frames: FRAMES, width: 64, height: 48 }));
  server = await startServerProcess([join(folder, "movie.Mjpeg"), "--fps", "100", "--max-request-rate", "100000", "--max-packet", "400"]);
});
afterAll(async () => {
  await server.stop();
  await rm(folder, { recursive: true, force: true });
});

const encoder = new TextEncoder();
const METHODS = ["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER", "FORWARD", "RESTART", "RECORD", "", "X".repeat(300)];
const URIS = ["movie.Mjpeg", "*", "rtsp://127.0.0.1/movie.Mjpeg/track1", "rtsp://h/../../etc/passwd", "%2e%2e/x", "rtsp://", "/", "a".repeat(5000)];
const VERSIONS = ["RTSP/1.0", "RTSP/1.4", "RTSP/2.0", "HTTP/1.1", "rtsp/1.0", ""];
const HEADERS = [
  "CSeq: 1",
  "CSeq: -1",
  "CSeq: 99999999999999999999",
  "Session: 123456",
  "Session: ;timeout=-5",
  "Transport: RTP/UDP; client_port= 25000",
  "Transport: RTP/AVP;unicast;client_port=25000-25001",
  "Transport: RTP/AVP/TCP;unicast;interleaved=0-1",
  "Transport: RTP/AVP/TCP;unicast;interleaved=254-255",
  "Transport: RTP/AVP;unicast;destination=10.0.0.1;client_port=25000-25001",
  "Transport: RTP/AVP;unicast;client_port=0-65536",
  "Range: npt=5-1",
  "Range: npt=99999-",
  "Content-Length: 5",
  "Content-Length: -1",
  "Content-Length: 100000",
  'Authorization: Digest username="a", realm="r", nonce="n", uri="u", response="00"',
  "Authorization: Basic !!!",
  "X-Long: " + "y".repeat(3000),
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** One input: a corpus request mutated, a request assembled from wire fragments, or plain random bytes. */
function makeInput(random: () => number): Uint8Array {
  const kind = random();
  if (kind < 0.45) return mutate(random, encoder.encode(pick(random, corpus.request)));
  if (kind < 0.9) {
    const eol = random() < 0.5 ? "\r\n" : "\n";
    const headers = Array.from({ length: Math.floor(random() * 5) }, () => pick(random, HEADERS));
    const head = [`${pick(random, METHODS)} ${pick(random, URIS)} ${pick(random, VERSIONS)}`, ...headers].join(eol);
    return encoder.encode(random() < 0.7 ? head + eol + eol : head);
  }
  return randomBytes(random, 1 + Math.floor(random() * 2000));
}

/** Connects, writes, and waits for an answer, the server closing, or ANSWER_WAIT_MS. */
async function send(port: number, bytes: Uint8Array): Promise<void> {
  const { promise, resolve } = Promise.withResolvers<void>();
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: { data: () => resolve(), close: () => resolve(), error: () => resolve() },
  });
  socket.write(bytes);
  const timer = setTimeout(resolve, ANSWER_WAIT_MS);
  await promise;
  clearTimeout(timer);
  socket.end();
}

test(
  "3000 seeded inputs: the server stays up, its memory bounded, and a normal client gets every frame after",
  async () => {
    const random = seededRandom(2326);
    const inputs = Array.from({ length: INPUTS }, () => makeInput(random));
    const rssBefore = server.rss();
    let next = 0;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < inputs.length) await send(server.port, inputs[next++]);
      }),
    );
    expect(server.child.exitCode).toBeNull();
    expect(server.rss() - rssBefore).toBeLessThan(RSS_GROWTH_BOUND);

    const url = `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`;
    for (const dialect of ["rtsp", "lab"] as const) {
      const report = await playHeadless({ url, dialect, transport: "udp", timeoutMs: 5000 });
      expect([dialect, report.endedBy, report.framesReceived]).toEqual([dialect, "complete", FRAMES]);
    }
    await Bun.sleep(300);
    expect(server.openSessions()).toBe(0);
  },
  30_000,
);
