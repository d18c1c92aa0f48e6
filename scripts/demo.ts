// The README's first command: serve the bundled movie and play it headless, saving frames/ and report.json.
// Both run from source as separate processes, exactly as a user would start them.
export {};
const port = Number(process.env.RTSP_DEMO_PORT ?? 8554);
const rtsp = [process.execPath, "cmd/rtsp.ts"];

const server = Bun.spawn([...rtsp, "serve", "--port", String(port)], { stdout: "inherit", stderr: "inherit" });
try {
  await waitForListener(port, 10_000);
  const player = Bun.spawn(
    [...rtsp, "play", `rtsp://127.0.0.1:${port}/movie.Mjpeg`, "--ui", "none", "--out", "frames", "--report", "report.json"],
    { stdout: "inherit", stderr: "inherit" },
  );
  process.exitCode = await player.exited;
} finally {
  server.kill("SIGINT");
  await server.exited;
}

async function waitForListener(port: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
      socket.end();
      return;
    } catch {
      await Bun.sleep(100);
    }
  }
  throw new Error(`rtsp serve did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
