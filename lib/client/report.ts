// The PlayReport: built from a statistics snapshot, written as JSON, summarized for people.
import type { PlayReport } from "./play.ts";
import type { StatisticsSnapshot } from "./playback-statistics.ts";

export interface ReportContext {
  url: string;
  dialect: PlayReport["dialect"];
  transport: PlayReport["transport"];
  framesExpected: number | null;
  endedBy: PlayReport["endedBy"];
  error?: string;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export function buildReport(snapshot: StatisticsSnapshot, context: ReportContext): PlayReport {
  const packets = snapshot.packets;
  const report: PlayReport = {
    url: context.url,
    dialect: context.dialect,
    transport: context.transport,
    framesReceived: snapshot.framesReceived,
    framesExpected: context.framesExpected,
    framesDropped: snapshot.framesDropped,
    bytes: snapshot.bytes,
    durationSeconds: round(snapshot.durationSeconds),
    dataRateBitsPerSecond: Math.round(snapshot.dataRateBitsPerSecond),
    packets: {
      received: packets.received,
      expected: packets.expected,
      lost: packets.lost,
      lossRate: packets.expected > 0 ? round(packets.lost / packets.expected, 6) : 0,
      late: packets.late,
      outOfOrder: packets.outOfOrder,
      duplicates: packets.duplicates,
    },
    jitterMs: round(snapshot.jitterMs),
    interFrameIntervalMs: {
      targetMs: round(snapshot.targetPeriodMs),
      mean: round(snapshot.intervals.mean),
      p50: round(snapshot.intervals.p50),
      p99: round(snapshot.intervals.p99),
      max: round(snapshot.intervals.max),
    },
    driftMs: round(snapshot.driftMs),
    firstFrameAfterPlayMs: snapshot.firstFrameAfterPlayMs === null ? null : round(snapshot.firstFrameAfterPlayMs),
    endedBy: context.endedBy,
  };
  if (snapshot.server) report.server = { ...snapshot.server };
  if (context.error !== undefined) report.error = context.error;
  return report;
}

export async function writeReport(path: string, report: PlayReport): Promise<void> {
  await Bun.write(path, `${JSON.stringify(report, null, 2)}\n`);
}

function formatRate(bitsPerSecond: number): string {
  if (bitsPerSecond >= 1e6) return `${(bitsPerSecond / 1e6).toFixed(2)} Mbit/s`;
  return `${(bitsPerSecond / 1e3).toFixed(1)} kbit/s`;
}

/** A readable multi-line summary, one `key: value` per line so scripts can grep it too. */
export function formatSummary(report: PlayReport): string {
  const p = report.packets;
  const i = report.interFrameIntervalMs;
  const lines = [
    `url: ${report.url} (${report.dialect}, ${report.transport.toUpperCase()})`,
    `frames: ${report.framesReceived}${report.framesExpected === null ? "" : ` of ${report.framesExpected}`}, dropped ${report.framesDropped}`,
    `bytes: ${report.bytes} in ${report.durationSeconds.toFixed(2)} s (${formatRate(report.dataRateBitsPerSecond)})`,
    `packets: ${p.received} received of ${p.expected} expected, lost ${p.lost} (${(p.lossRate * 100).toFixed(2)}%), late ${p.late}, out of order ${p.outOfOrder}, duplicates ${p.duplicates}`,
    `jitter: ${report.jitterMs.toFixed(2)} ms`,
    `frame interval: mean ${i.mean.toFixed(1)} ms, p50 ${i.p50.toFixed(1)}, p99 ${i.p99.toFixed(1)}, max ${i.max.toFixed(1)} (target ${i.targetMs.toFixed(1)})`,
    `drift: ${report.driftMs.toFixed(1)} ms`,
    `first frame after PLAY: ${report.firstFrameAfterPlayMs === null ? "none" : `${report.firstFrameAfterPlayMs.toFixed(1)} ms`}`,
  ];
  if (report.server) {
    const { packetCount, octetCount, packetsLost, lossFraction } = report.server;
    lines.push(`server (RTCP SR): ${packetCount} packets, ${octetCount} octets sent; ${packetsLost} of them not received (${(lossFraction * 100).toFixed(2)}%)`);
  }
  lines.push(`ended by: ${report.endedBy}${report.error ? ` (${report.error})` : ""}`);
  return lines.join("\n");
}

/** One line for a live display: frames n/total, fps, data rate, loss. */
export function formatProgress(snapshot: StatisticsSnapshot, totalFrames: number | null): string {
  const fps = snapshot.intervals.mean > 0 ? 1000 / snapshot.intervals.mean : 0;
  const loss = snapshot.packets.expected > 0 ? (snapshot.packets.lost / snapshot.packets.expected) * 100 : 0;
  return `frame ${snapshot.lastFrameNumber}/${totalFrames ?? "?"}  ${snapshot.framesReceived} received  ${fps.toFixed(1)} fps  ${formatRate(snapshot.dataRateBitsPerSecond)}  loss ${loss.toFixed(2)}%`;
}
