import { expect, test } from "bun:test";
import type { BenchStepReport } from "../../lib/bench/bench-run.ts";
import { renderChartSvg } from "../../lib/bench/chart-svg.ts";
import { measureStream, poolStreams } from "../../lib/bench/pacing.ts";
import { formatReportTable } from "../../lib/bench/report-table.ts";
import { buildTimeline } from "../../lib/bench/timeline.ts";

function step(clients: number, setupFailures = 0): BenchStepReport {
  const frames = Array.from({ length: 40 }, (_, i) => ({ number: i + 1, arrivalMs: 1000 + i * 50 + (i % 3) * 0.5 }));
  const measured = measureStream({ frames, firstFrameAfterPlayMs: 0.7 }, 50);
  return {
    url: "rtsp://127.0.0.1:8554/movie.Mjpeg",
    dialect: "rtsp",
    transport: "udp",
    clients,
    streamsPlaying: clients - setupFailures,
    setupFailures,
    ...(setupFailures ? { firstSetupError: "SETUP: 453 Not Enough Bandwidth" } : {}),
    setupSeconds: 0.1,
    warmupSeconds: 0,
    windowSeconds: 2,
    periodMs: 50,
    arrivalClock: "kernel",
    pacing: poolStreams([measured]),
    server: { pid: 1, cpuPercent: 3.25, cpuPercentPeak: 5, rssMeanBytes: 40 << 20, rssMaxBytes: 42 << 20 },
    measurer: { cpuPercent: 1.5 },
    streams: [measured.pacing],
    timeline: buildTimeline([measured], 50, 1000, 3000),
  };
}

test("the table has a header, a rule, one row per step and a note for failed setups", () => {
  const lines = formatReportTable([step(1), step(10, 2)]).split("\n");
  expect(lines).toHaveLength(5);
  expect(lines[0]).toContain("dev p99");
  expect(lines[1]).toMatch(/^[- ]+$/);
  expect(lines[2].trim().split(/\s+/).slice(0, 4)).toEqual(["1", "1", "40", "0"]);
  expect(lines[2]).toContain("3.3"); // server CPU %
  expect(lines[2]).toContain("42.0"); // server RSS MB
  expect(lines[4]).toBe("10 clients: 2 failed to set up, first: SETUP: 453 Not Enough Bandwidth");
});

test("the chart is one SVG with an interval panel (with the target line) and a deviation panel", () => {
  const svg = renderChartSvg(step(1));
  expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
  expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  expect(svg.match(/<polyline /g)).toHaveLength(4);
  expect(svg).toContain("target 50 ms");
  expect(svg).not.toContain("NaN");
  const points = /<polyline [^>]*points="([^"]*)"/.exec(svg)![1].split(" ");
  expect(points.length).toBe(39); // 40 buckets, the first has no interval yet
});
