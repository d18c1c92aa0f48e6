// The bench's stdout: one row per step, fixed-width columns, numbers in ms unless the header says otherwise.
import type { BenchStepReport } from "./bench-run.ts";

const COLUMNS: { header: string; value: (step: BenchStepReport) => string }[] = [
  { header: "clients", value: (s) => String(s.clients) },
  { header: "playing", value: (s) => String(s.streamsPlaying) },
  { header: "frames", value: (s) => String(s.pacing.framesReceived) },
  { header: "lost", value: (s) => String(s.pacing.framesLost) },
  { header: "int mean", value: (s) => ms(s.pacing.intervalMs.mean) },
  { header: "int p50", value: (s) => ms(s.pacing.intervalMs.p50) },
  { header: "int p99", value: (s) => ms(s.pacing.intervalMs.p99) },
  { header: "int max", value: (s) => ms(s.pacing.intervalMs.max) },
  { header: "dev p50", value: (s) => ms(s.pacing.deviationMs.p50) },
  { header: "dev p99", value: (s) => ms(s.pacing.deviationMs.p99) },
  { header: "dev max", value: (s) => ms(s.pacing.deviationMs.max) },
  { header: "drift min..max", value: (s) => `${ms(s.pacing.driftMs.min)}..${ms(s.pacing.driftMs.max)}` },
  { header: "1st p50/max", value: (s) => (s.pacing.firstFrameAfterPlayMs ? `${ms(s.pacing.firstFrameAfterPlayMs.p50)}/${ms(s.pacing.firstFrameAfterPlayMs.max)}` : "-") },
  { header: "srv CPU%", value: (s) => (s.server ? s.server.cpuPercent.toFixed(1) : "-") },
  { header: "srv RSS MB", value: (s) => (s.server ? (s.server.rssMaxBytes / 1_048_576).toFixed(1) : "-") },
  { header: "bench CPU%", value: (s) => s.measurer.cpuPercent.toFixed(1) },
];

function ms(value: number): string {
  return value.toFixed(value !== 0 && Math.abs(value) < 10 ? 3 : 1);
}

export function formatReportTable(steps: readonly BenchStepReport[]): string {
  const rows = [COLUMNS.map((column) => column.header), ...steps.map((step) => COLUMNS.map((column) => column.value(step)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((cell, i) => cell.padStart(widths[i])).join("  "));
  lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
  const notes = steps.filter((step) => step.setupFailures > 0).map((step) => `${step.clients} clients: ${step.setupFailures} failed to set up, first: ${step.firstSetupError}`);
  return [...lines, ...notes].join("\n");
}
