// The one-line summary both front ends show: state, position, and how the stream is doing.
import type { StatisticsSnapshot } from "../client/playback-statistics.ts";

/** What the user is told the player is doing; PAUSED is READY after playback has started. */
export type DisplayState = "INIT" | "READY" | "PLAYING" | "PAUSED" | "ENDED" | "STOPPED";

export interface PlaybackStatus {
  state: DisplayState;
  /** Number of the frame on screen, 0 before the first. */
  frameNumber: number;
  totalFrames: number | null;
  /** The stream's nominal frame rate: frame numbers to time. */
  fps: number;
  /** Frames received per second over the last second. */
  receivedFps: number;
  /** Frames the display replaced before drawing them (it was busy). */
  skippedFrames: number;
  statistics: StatisticsSnapshot;
  /** The last error, shown until the next state change. */
  error?: string;
}

export function formatClock(seconds: number): string {
  const whole = Math.max(0, seconds);
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${(whole - minutes * 60).toFixed(1).padStart(4, "0")}`;
}

export function formatBitRate(bitsPerSecond: number): string {
  if (bitsPerSecond >= 1e6) return `${(bitsPerSecond / 1e6).toFixed(2)} Mbit/s`;
  return `${(bitsPerSecond / 1e3).toFixed(0)} kbit/s`;
}

export function lossRate(statistics: StatisticsSnapshot): number {
  const { lost, expected } = statistics.packets;
  return expected > 0 ? lost / expected : 0;
}

function formatFrameCounter(frameNumber: number, totalFrames: number | null): string {
  return `${frameNumber} / ${totalFrames ?? "?"}`;
}

/** Most important first, since a narrow terminal cuts the end off; an error comes right after the state. */
export function formatStatusLine(status: PlaybackStatus): string {
  const total = status.totalFrames === null ? "?" : formatClock(status.totalFrames / status.fps);
  const parts = [
    status.state,
    ...(status.error ? [`error: ${status.error}`] : []),
    `frame ${formatFrameCounter(status.frameNumber, status.totalFrames)}`,
    `${formatClock(status.frameNumber / status.fps)} / ${total}`,
    `${status.receivedFps.toFixed(1)} fps`,
    formatBitRate(status.statistics.dataRateBitsPerSecond),
    `loss ${(lossRate(status.statistics) * 100).toFixed(1)}%`,
    ...(status.skippedFrames > 0 ? [`skipped ${status.skippedFrames}`] : []),
  ];
  return ` ${parts.join(" │ ")}`;
}

/** The statistics panel: the snapshot in full, one figure a line. */
export function formatStatisticsPanel(statistics: StatisticsSnapshot): string[] {
  const p = statistics.packets;
  const i = statistics.intervals;
  return [
    "─ statistics (s to close) ─",
    `frames received ${statistics.framesReceived}, dropped ${statistics.framesDropped}, last #${statistics.lastFrameNumber}`,
    `data ${statistics.bytes} bytes in ${statistics.durationSeconds.toFixed(1)} s = ${formatBitRate(statistics.dataRateBitsPerSecond)}`,
    `packets received ${p.received} of ${p.expected}, lost ${p.lost} (${(lossRate(statistics) * 100).toFixed(2)}%), late ${p.late}, out of order ${p.outOfOrder}, duplicates ${p.duplicates}`,
    `jitter ${statistics.jitterMs.toFixed(2)} ms; frame interval mean ${i.mean.toFixed(1)} p50 ${i.p50.toFixed(1)} p99 ${i.p99.toFixed(1)} max ${i.max.toFixed(1)} ms (target ${statistics.targetPeriodMs.toFixed(1)})`,
    `drift ${statistics.driftMs.toFixed(1)} ms; first frame ${statistics.firstFrameAfterPlayMs === null ? "-" : `${statistics.firstFrameAfterPlayMs.toFixed(1)} ms`} after PLAY`,
  ];
}
