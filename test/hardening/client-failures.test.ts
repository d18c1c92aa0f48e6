// Whatever the network does to `rtsp play` (a child process), it says what happened in one line, writes its report,
// and exits non-zero.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TCPSocketListener } from "bun";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import { startServerProcess } from "./server-process.ts";

const REPO = join(import.meta.dir, "../..");

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "rtsp-client-failures-"));
  await writeFile(join(folder, "movie.Mjpeg"), makeSampleMovie({ frames: 2000, width: 32, height: 24 }));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function play(url: string, report: string, extra: string[]) {
  return Bun.spawn(["bun", "cmd/rtsp.ts", "play", "--ui", "none", "--report", report, ...extra, url], { cwd: REPO, stdout: "ignore", stderr: "pipe" });
}

async function outcome(child: ReturnType<typeof play>, report: string) {
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  return { code, lines: stderr.trim().split("\n"), report: JSON.parse(await readFile(report, "utf8")) };
}

/** A TCP peer that does `onRequest` with the socket of each connection when its first bytes arrive. */
function fakeServer(onRequest: (socket: import("bun").Socket<undefined>) => void): TCPSocketListener<undefined> {
  return Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: (socket) => onRequest(socket) } });
}

test.each(["udp", "tcp"])(
  "the server killed mid-stream (%s): server-gone, frames so far in the report, exit 1",
  async (transport) => {
    const server = await startServerProcess([join(folder, "movie.Mjpeg"), "--fps", "100"]);
    const report = join(folder, `vanish-${transport}.json`);
    const child = play(`rtsp://127.0.0.1:${server.port}/movie.Mjpeg`, report, ["--transport", transport, "--timeout", "3"]);
    await Bun.sleep(800);
    server.child.kill("SIGKILL");
    const result = await outcome(child, report);
    expect(result.code).toBe(1);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toContain("server closed the connection");
    expect(result.report.endedBy).toBe("server-gone");
    expect(result.report.framesReceived).toBeGreaterThan(0);
  },
  20_000,
);

test("the connection reset right after a request: exit 1 with a clear line and a report", async () => {
  const listener = fakeServer((socket) => socket.terminate());
  const report = join(folder, "reset.json");
  try {
    const result = await outcome(play(`rtsp://127.0.0.1:${listener.port}/movie.Mjpeg`, report, ["--dialect", "rtsp", "--timeout", "3"]), report);
    expect(result.code).toBe(1);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(/server closed the connection|connection error/);
    expect(result.report.endedBy).toBe("server-gone");
  } finally {
    listener.stop(true);
  }
}, 20_000);

test("no reply within the timeout: exit 1, 'no reply', endedBy timeout", async () => {
  const listener = fakeServer(() => {});
  const report = join(folder, "silent.json");
  try {
    const result = await outcome(play(`rtsp://127.0.0.1:${listener.port}/movie.Mjpeg`, report, ["--dialect", "rtsp", "--timeout", "1"]), report);
    expect(result.code).toBe(1);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toContain("no reply to OPTIONS within 1 s");
    expect(result.report.endedBy).toBe("timeout");
  } finally {
    listener.stop(true);
  }
}, 20_000);
