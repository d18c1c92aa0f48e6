// Follows a client session for a front end: what state to show, how fast frames arrive, the last error. Shared by
// the terminal and web players so both report the same figures the same way.
import type { ReceivedFrame } from "../client/playback-statistics.ts";
import { SessionState } from "../client/client-session.ts";
import type { PlayerSession } from "./player-session.ts";
import { ReceiveRateMeter } from "./receive-rate-meter.ts";
import type { DisplayState, PlaybackStatus } from "./status-line.ts";

export class PlaybackMonitor {
  private readonly rate = new ReceiveRateMeter();
  private played = false;
  private ended = false;
  private stopped = false;
  private lastError: string | undefined;

  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly session: PlayerSession,
    private readonly onChange: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.unsubscribe = [
      session.on("frame", (frame: ReceivedFrame) => {
        // The session stays PLAYING after the stream's end; a frame (after restart or a skip back) means it goes on.
        this.ended = false;
        this.rate.record(frame.arrivalMs);
      }),
      session.on("state", (state) => this.onState(state)),
      session.on("end", () => {
        this.ended = true;
        this.onChange();
      }),
      session.on("error", (error) => this.reportError(error)),
    ];
  }

  detach(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
  }

  private onState(state: SessionState): void {
    if (state === SessionState.Playing) {
      this.played = true;
      this.ended = false;
      this.lastError = undefined;
    }
    this.onChange();
  }

  /** A command failed or the session reported an error: shown until playback resumes. */
  reportError(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    this.onChange();
  }

  markStopped(): void {
    this.stopped = true;
    this.onChange();
  }

  get displayState(): DisplayState {
    const state = this.session.state;
    if (this.stopped) return "STOPPED";
    if (this.ended) return "ENDED";
    if (state === SessionState.Playing) return "PLAYING";
    if (state === SessionState.Ready && this.played) return "PAUSED";
    return state === SessionState.Ready ? "READY" : "INIT";
  }

  status(frameNumber: number, skippedFrames: number): PlaybackStatus {
    return {
      state: this.displayState,
      frameNumber,
      totalFrames: this.session.totalFrames,
      fps: this.session.fps,
      receivedFps: this.rate.framesPerSecond(this.now()),
      skippedFrames,
      statistics: this.session.stats(),
      error: this.lastError,
    };
  }
}
