// End to end: `rtsp serve` and `rtsp play` as two real processes on loopback.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jpeg from "jpeg-js";
import { freeTcpPort, waitForTcpListener } from "../../lib/bench/loopback-listener.ts";
import type { PlayReport } from "../../lib/client/play.ts";
import { Movie } from "../../lib/media/movie.ts";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import { frameFileNames } from "../support/frame-file-names.ts";

const FRAMES = 24;
const root = join(import.meta.dir, "../..");
let work: string;
let movie: Movie;
/**
 * The server as it starts by default, one with `--no-gso` (RTP in one sendmmsg per frame instead of one GSO send),
 * and one on IPv6 loopback.
 */
type ServerName = "default" | "noGso" | "ipv6";
interface Started {
  child: ReturnType<typeof Bun.spawn>;
  port: number;
  /** As it goes in a URL. */
  host: string;
}
let servers: Record<ServerName, Started> | undefined;

async function startServer(flags: string[], host = "127.0.0.1"): Promise<Started> {
  const port = await freeTcpPort();
  const child = Bun.spawn(["bun", "cmd/rtsp.ts", "serve", "--port", String(port), ...flags, join(work, "movie.Mjpeg")], {
    cwd: root,
    stdout: "ignore",
    stderr: "ignore",
  });
  await waitForTcpListener(port, { timeoutMs: 10_000, retryMs: 100, child, host });
  return { child, port, host: host.includes(":") ? `[${host}]` : host };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "rtsp-e2e-"));
  const bytes = makeSampleMovie({ frames: FRAMES, width: 160, height: 120 });
  writeFileSync(join(work, "movie.Mjpeg"), bytes);
  movie = Movie.fromBytes(bytes, "movie.Mjpeg");
  const [defaultServer, noGso, ipv6] = await Promise.all([startServer([]), startServer(["--no-gso"]), startServer(["--host", "::1"], "::1")]);
  servers = { default: defaultServer, noGso, ipv6 };
});

afterAll(() => {
  for (const server of Object.values(servers ?? {})) server.child.kill();
  rmSync(work, { recursive: true, force: true });
});

async function play(
  name: string,
  flags: string[],
  server: ServerName = "default",
): Promise<{ exitCode: number; stderr: string; report: PlayReport; frames: string }> {
  const out = join(work, name);
  const reportPath = join(work, `${name}.json`);
  const child = Bun.spawn(
    ["bun", "cmd/rtsp.ts", "play", `rtsp://${servers![server].host}:${servers![server].port}/movie.Mjpeg`, "--out", out, "--report", reportPath, ...flags],
    { cwd: root, stdout: "pipe", stderr: "pipe" },
  );
  const [exitCode, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  // On a failure, the expectation shows why the player stopped.
  return { exitCode, stderr, report: JSON.parse(readFileSync(reportPath, "utf8")), frames: out };
}

function savedNames(directory: string): string[] {
  return readdirSync(directory).sort();
}

const expectedNames = frameFileNames(FRAMES, 1);

describe("rtsp serve ↔ rtsp play", () => {
  test("lab dialect: every frame byte-identical, report right", async () => {
    const { exitCode, stderr, report, frames } = await play("lab", ["--dialect", "lab"]);
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });
    expect(savedNames(frames)).toEqual(expectedNames);
    for (let i = 0; i < FRAMES; i++) expect(readFileSync(join(frames, expectedNames[i])).equals(movie.frame(i))).toBe(true);
    let bytes = 0;
    for (let i = 0; i < FRAMES; i++) bytes += movie.frame(i).length;
    expect(report).toMatchObject({ dialect: "lab", transport: "udp", framesReceived: FRAMES, framesDropped: 0, bytes, endedBy: "complete" });
    expect(report.packets).toMatchObject({ received: FRAMES, lost: 0 });
  });

  for (const [transport, server] of [["udp", "default"], ["tcp", "default"], ["udp", "noGso"]] as const) {
    test(`standard path over ${transport}${server === "noGso" ? " from rtsp serve --no-gso" : ""}: decoded frames equal the decoded source`, async () => {
      const { exitCode, stderr, report, frames } = await play(`${transport}-${server}`, ["--dialect", "rtsp", "--transport", transport], server);
      expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });
      expect(report).toMatchObject({ dialect: "rtsp", transport, framesReceived: FRAMES, framesExpected: FRAMES, endedBy: "complete" });
      expect(report.packets.lost).toBe(0);
      // The server's last sender report comes with its BYE: its count is every packet of the session.
      expect(report.server).toMatchObject({ packetCount: report.packets.received, packetsLost: 0, lossFraction: 0 });
      expect(savedNames(frames)).toEqual(expectedNames);
      for (let i = 0; i < FRAMES; i++) {
        const received = jpeg.decode(readFileSync(join(frames, expectedNames[i])), { useTArray: true });
        const source = jpeg.decode(movie.frame(i), { useTArray: true });
        expect(received.width).toBe(source.width);
        expect(Buffer.from(received.data).equals(Buffer.from(source.data))).toBe(true);
      }
    });
  }

  test("over IPv6 ([::1]): the standard path over UDP and the lab dialect play every frame", async () => {
    for (const flags of [["--dialect", "rtsp", "--transport", "udp"], ["--dialect", "lab"]]) {
      const { exitCode, stderr, report, frames } = await play(`ipv6-${flags[1]}`, flags, "ipv6");
      expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });
      expect(report).toMatchObject({ transport: "udp", framesReceived: FRAMES, endedBy: "complete" });
      expect(report.packets.lost).toBe(0);
      expect(savedNames(frames)).toEqual(expectedNames);
    }
  });

  test("auto dialect and transport settle on the standard path over UDP", async () => {
    const { exitCode, stderr, report } = await play("auto", []);
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });
    expect(report).toMatchObject({ dialect: "rtsp", transport: "udp", framesReceived: FRAMES });
  });
});
