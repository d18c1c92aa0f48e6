// A client session stand-in for the front-end tests: records the commands it is given and follows the same state
// rules as lib/client's ClientSession for them; frames and other events are pushed by the test.
import { SessionState, type SessionEvents } from "../../lib/client/client-session.ts";
import type { StatisticsSnapshot } from "../../lib/client/playback-statistics.ts";
import { TypedEmitter } from "../../lib/client/typed-emitter.ts";
import type { PlayerSession } from "../../lib/player/player-session.ts";

export class FakeSession extends TypedEmitter<SessionEvents> implements PlayerSession {
  readonly calls: string[] = [];
  state = SessionState.Init;
  totalFrames: number | null = 100;
  fps = 20;
  description = "v=0\r\ns=fake movie\r\n";

  push<K extends keyof SessionEvents>(event: K, payload: SessionEvents[K]): void {
    this.emit(event, payload);
  }

  async describe(): Promise<string> {
    this.calls.push("describe");
    return this.description;
  }
  async play(): Promise<void> {
    this.calls.push("play");
    this.moveTo(SessionState.Playing);
  }
  async pause(): Promise<void> {
    this.calls.push("pause");
    this.moveTo(SessionState.Ready);
  }
  async teardown(): Promise<void> {
    this.calls.push("teardown");
    this.moveTo(SessionState.Init);
  }
  async skip(deltaFrames: number): Promise<void> {
    this.calls.push(`skip(${deltaFrames})`);
  }
  async restart(): Promise<void> {
    this.calls.push("restart");
  }
  close(): void {
    this.calls.push("close");
  }
  stats(): StatisticsSnapshot {
    return {
      framesReceived: 0,
      framesDropped: 0,
      bytes: 0,
      lastFrameNumber: 0,
      packets: { received: 10, expected: 10, lost: 0, late: 0, outOfOrder: 0, duplicates: 0 },
      jitterMs: 0,
      intervals: { mean: 50, p50: 50, p99: 51, max: 52 },
      targetPeriodMs: 50,
      driftMs: 0,
      durationSeconds: 1,
      dataRateBitsPerSecond: 1_300_000,
      firstFrameAfterPlayMs: 3,
    };
  }

  private moveTo(state: SessionState): void {
    this.state = state;
    this.emit("state", state);
  }
}
