// The README's first command: serve the bundled movie and play it headless, saving frames/ and report.json.
// Both run from source as separate processes, exactly as a user would start them.
import { waitForTcpListener } from "../lib/bench/loopback-listener.ts";

const port = Number(process.env.RTSP_DEMO_PORT ?? 8554);
const rtsp = [process.execPath, "cmd/rtsp.ts"];

const server = Bun.spawn([...rtsp, "serve", "--port", String(port)], { stdout: "inherit", stderr: "inherit" });
try {
  await waitForTcpListener(port, { timeoutMs: 10_000, retryMs: 100 });
  const player = Bun.spawn(
    [...rtsp, "play", `rtsp://127.0.0.1:${port}/movie.Mjpeg`, "--ui", "none", "--out", "frames", "--report", "report.json"],
    { stdout: "inherit", stderr: "inherit" },
  );
  process.exitCode = await player.exited;
} finally {
  server.kill("SIGINT");
  await server.exited;
}

