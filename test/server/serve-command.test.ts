// `rtsp serve` as a user runs it: bad flags exit 2 with one line, a taken port exits 1 with one line.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const CLI = join(import.meta.dir, "..", "..", "cmd", "rtsp.ts");

async function serve(args: string[]): Promise<{ code: number; stderr: string }> {
  const child = Bun.spawn(["bun", CLI, "serve", ...args], { stdout: "pipe", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  return { code, stderr };
}

describe("rtsp serve", () => {
  test.each([
    [["--port", "abc"], /^rtsp serve: --port must be a whole number, got "abc"\n$/],
    [["--port", "70000"], /^rtsp serve: --port must be between 0 and 65535, got 70000\n$/],
    [["--fps", "0"], /^rtsp serve: --fps must be a positive number, got "0"\n$/],
    [["--max-packet", "12"], /^rtsp serve: --max-packet must be between 128 and 65535, got 12\n$/],
    [["--session-timeout", "x"], /^rtsp serve: --session-timeout must be a whole number, got "x"\n$/],
  ])("%p is a usage error (exit 2)", async (args, message) => {
    const { code, stderr } = await serve(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  }, 20_000);

  test("a port in use is one clear line and exit 1", async () => {
    const taken = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const { code, stderr } = await serve(["--host", "127.0.0.1", "--port", String(taken.port)]);
      expect(code).toBe(1);
      expect(stderr).toBe(`rtsp serve: port ${taken.port} is already in use (127.0.0.1:${taken.port})\n`);
    } finally {
      taken.stop(true);
    }
  }, 20_000);

  test("a missing PATH is one clear line and exit 1", async () => {
    const { code, stderr } = await serve(["--port", "0", "/nonexistent/movie.Mjpeg"]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("/nonexistent/movie.Mjpeg");
  }, 20_000);
});
