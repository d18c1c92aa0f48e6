// End to end: `rtsp bench` starts its own `rtsp serve`, plays 2 streams for 2 s, writes JSON and SVG.
// Checks the report's shape and that frames arrived; never the machine's speed.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { KernelStampedSockets } from "../../lib/bench/kernel-stamped-sockets.ts";

const workDir = mkdtempSync(join(tmpdir(), "rtsp-bench-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

test(
  "rtsp bench --clients 2 --duration 2 against a server it starts",
  async () => {
    const jsonPath = join(workDir, "bench.json");
    const svgPath = join(workDir, "bench.svg");
    const bench = Bun.spawn(
      [process.execPath, resolve(import.meta.dir, "../../cmd/rtsp.ts"), "bench", "--clients", "2", "--duration", "2", "--json", jsonPath, "--svg", svgPath, "--port-base", "47000"],
      { stdout: "pipe", stderr: "pipe" },
    );
    const [stdout, stderr, exitCode] = await Promise.all([new Response(bench.stdout).text(), new Response(bench.stderr).text(), bench.exited]);
    expect({ exitCode, stderr: exitCode === 0 ? "" : stderr }).toEqual({ exitCode: 0, stderr: "" });

    const table = stdout.trim().split("\n");
    expect(table[0]).toContain("dev p99");
    expect(table[2].trim().split(/\s+/).slice(0, 2)).toEqual(["2", "2"]);

    const report = await Bun.file(jsonPath).json();
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.steps).toHaveLength(1);
    const [step] = report.steps;
    expect(step).toMatchObject({ clients: 2, streamsPlaying: 2, setupFailures: 0, dialect: "rtsp", transport: "udp", periodMs: 50 });
    expect(step.arrivalClock).toBe(KernelStampedSockets.supported ? "kernel" : "callback");
    expect(step.streams).toHaveLength(2);
    for (const stream of step.streams) {
      expect(stream.framesReceived).toBeGreaterThan(10);
      expect(stream.firstFrameAfterPlayMs).toBeGreaterThanOrEqual(0);
      expect(Object.keys(stream.intervalMs).sort()).toEqual(["max", "mean", "p50", "p99"]);
      expect(Object.keys(stream.deviationMs).sort()).toEqual(["max", "p50", "p99"]);
    }
    expect(step.pacing.framesReceived).toBe(step.streams[0].framesReceived + step.streams[1].framesReceived);
    expect(step.server.pid).toBeGreaterThan(0);
    expect(step.server.rssMaxBytes).toBeGreaterThan(0);
    expect(step.timeline.length).toBeGreaterThan(0);

    const svg = await Bun.file(svgPath).text();
    expect(svg).toStartWith("<svg");
    expect(svg).toContain("2 stream(s)");
  },
  30_000,
);
