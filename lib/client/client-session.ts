// The session the players drive: INIT → READY → PLAYING with one place that checks transitions, frame events,
// end-of-stream detection and live statistics. The wire work is the dialect driver's.
import { inspectJpeg } from "../media/jpeg-info.ts";
import { ClientError } from "./client-error.ts";
import type { DialectDriver, MediaCallbacks } from "./dialect-driver.ts";
import type { LabVersion } from "./lab-driver.ts";
import { openDriver } from "./open-driver.ts";
import { PlaybackStatistics, type ReceivedFrame, type StatisticsSnapshot } from "./playback-statistics.ts";
import { parseStreamUrl } from "./rtsp-url.ts";
import { TypedEmitter } from "./typed-emitter.ts";

export enum SessionState {
  Init = "INIT",
  Ready = "READY",
  Playing = "PLAYING",
}

export interface SessionOptions {
  url: string;
  dialect: "auto" | "lab" | "rtsp";
  transport: "auto" | "udp" | "tcp";
  /** Lab: the `client_port=`; standard: the even RTP port. 0/undefined = any free port. */
  clientPort?: number;
  /** No media for this long after PLAY is an error; default 10 s. */
  timeoutMs?: number;
  /** How long to wait for each RTSP reply; default 5 s. */
  replyTimeoutMs?: number;
  /** Lab request version; RTSP/1.4 (default) adds FORWARD/BACKWARD/RESTART and `Frames:`. */
  labVersion?: LabVersion;
  /** Without a known frame count, the stream is over when nothing arrived for this long after the first frame; default 2 s. */
  endIdleMs?: number;
  /** Transport auto: no RTP this long after PLAY over UDP switches to TCP interleaved; default 3 s. */
  udpFallbackMs?: number;
}

export interface SessionEvents extends Record<string, unknown> {
  frame: ReceivedFrame;
  state: SessionState;
  /** The server finished the stream (every frame arrived, RTCP BYE, or the stream went quiet after its frames). */
  end: undefined;
  /** The run cannot go on: server gone, no data, protocol trouble. */
  error: ClientError;
}

type Action = "setup" | "play" | "pause" | "teardown" | "skip" | "restart";

/** Where each action may start from; its target state is set by the action itself. */
const ALLOWED_FROM: Record<Action, readonly SessionState[]> = {
  setup: [SessionState.Init],
  play: [SessionState.Init, SessionState.Ready],
  pause: [SessionState.Playing],
  teardown: [SessionState.Ready, SessionState.Playing],
  skip: [SessionState.Ready, SessionState.Playing],
  restart: [SessionState.Ready, SessionState.Playing],
};

const WATCHDOG_MS = 100;
/** After the last frame of a known count, wait this long for stragglers before calling the stream complete. */
const LAST_FRAME_GRACE_MS = 150;

export class ClientSession extends TypedEmitter<SessionEvents> {
  private currentState = SessionState.Init;
  private driver!: DialectDriver;
  private statistics!: PlaybackStatistics;
  private readonly delivered = new Set<number>();
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private playStartedMs = 0;
  private lastPacketMs: number | undefined;
  private reachedLastFrame = false;
  private ended = false;
  private closing = false;
  private fallingBack = false;

  private constructor(private readonly options: SessionOptions) {
    super();
  }

  /** Connects and settles the dialect (auto: OPTIONS probe); no request beyond that is sent yet. */
  static async open(options: SessionOptions): Promise<ClientSession> {
    const session = new ClientSession(options);
    session.driver = await openDriver(
      {
        stream: parseStreamUrl(options.url),
        dialect: options.dialect,
        transport: options.transport,
        clientPort: options.clientPort ?? 0,
        labVersion: options.labVersion ?? "RTSP/1.4",
        replyTimeoutMs: options.replyTimeoutMs ?? 5000,
      },
      session.mediaCallbacks(),
    );
    session.statistics = new PlaybackStatistics(session.driver.fps);
    return session;
  }

  get state(): SessionState {
    return this.currentState;
  }
  get dialect(): "lab" | "rtsp" {
    return this.driver.dialect;
  }
  get transport(): "udp" | "tcp" {
    return this.driver.transport;
  }
  get totalFrames(): number | null {
    return this.driver.totalFrames;
  }
  get fps(): number {
    return this.driver.fps;
  }

  stats(): StatisticsSnapshot {
    return this.statistics.snapshot();
  }

  async describe(): Promise<string> {
    return this.driver.describe();
  }

  async setup(): Promise<void> {
    this.check("setup");
    await this.driver.setup();
    this.moveTo(SessionState.Ready);
  }

  /** Performs SETUP first when in INIT, like the lab report's simplified player (§10.2). */
  async play(): Promise<void> {
    this.check("play");
    if (this.currentState === SessionState.Init) await this.setup();
    await this.startPlaying(() => this.driver.play());
  }

  async pause(): Promise<void> {
    this.check("pause");
    await this.driver.pause();
    this.stopWatchdog();
    this.moveTo(SessionState.Ready);
  }

  async teardown(): Promise<void> {
    this.check("teardown");
    this.stopWatchdog();
    this.closing = true;
    try {
      await this.driver.teardown();
    } finally {
      this.moveTo(SessionState.Init);
    }
  }

  /** Lab: FORWARD/BACKWARD in steps of 20 frames; standard: PLAY from the current frame ± deltaFrames. */
  async skip(deltaFrames: number): Promise<void> {
    this.check("skip");
    this.newSegment();
    await this.driver.skip(deltaFrames, this.statistics.snapshot().lastFrameNumber);
    if (this.currentState === SessionState.Playing) this.restartWatchdog();
  }

  async restart(): Promise<void> {
    this.check("restart");
    this.newSegment();
    await this.driver.restart();
    if (this.currentState === SessionState.Playing) this.restartWatchdog();
  }

  /** Releases sockets without telling the server (after teardown, or when the server is gone). */
  close(): void {
    this.closing = true;
    this.stopWatchdog();
    this.driver.close();
  }

  private check(action: Action): void {
    if (!ALLOWED_FROM[action].includes(this.currentState)) {
      throw new ClientError("protocol", `cannot ${action} in state ${this.currentState}`);
    }
  }

  private moveTo(state: SessionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.emit("state", state);
  }

  private async startPlaying(request: () => Promise<number>): Promise<void> {
    this.statistics.recordPlayReply(await request());
    this.moveTo(SessionState.Playing);
    this.restartWatchdog();
  }

  private newSegment(): void {
    this.statistics.startSegment();
    // A player may seek back into a stream that had ended.
    this.ended = false;
  }

  /** Not at the request: frames of the old position still on their way would be taken for the new one's. */
  private onNewPosition(): void {
    this.delivered.clear();
    this.reachedLastFrame = false;
  }

  private restartWatchdog(): void {
    this.stopWatchdog();
    this.playStartedMs = performance.now();
    this.lastPacketMs = undefined;
    this.watchdog = setInterval(() => this.checkProgress(), WATCHDOG_MS);
  }

  private stopWatchdog(): void {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private checkProgress(): void {
    if (this.ended || this.fallingBack) return;
    const now = performance.now();
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    if (this.lastPacketMs === undefined) {
      const silentMs = now - this.playStartedMs;
      const canFallBack = this.options.transport === "auto" && this.driver.transport === "udp" && this.driver.switchToTcp;
      if (canFallBack && silentMs > (this.options.udpFallbackMs ?? 3000)) {
        void this.fallBackToTcp();
      } else if (silentMs > timeoutMs) {
        this.fail(new ClientError("timeout", `no data within ${timeoutMs / 1000} s after PLAY`));
      }
      return;
    }
    const idleMs = now - this.lastPacketMs;
    if (this.reachedLastFrame && idleMs > LAST_FRAME_GRACE_MS) this.endStream();
    else if (this.driver.totalFrames === null && idleMs > (this.options.endIdleMs ?? 2000)) this.endStream();
    else if (idleMs > timeoutMs) this.endStream();
  }

  private async fallBackToTcp(): Promise<void> {
    this.fallingBack = true;
    try {
      await this.driver.switchToTcp?.();
      this.newSegment();
      this.restartWatchdog();
    } catch (error) {
      this.fail(error instanceof ClientError ? error : new ClientError("protocol", String(error)));
    } finally {
      this.fallingBack = false;
    }
  }

  private endStream(): void {
    if (this.ended) return;
    this.driver.drainMedia?.();
    this.ended = true;
    this.stopWatchdog();
    this.emit("end", undefined);
  }

  private fail(error: ClientError): void {
    if (this.ended) return;
    this.ended = true;
    this.stopWatchdog();
    this.emit("error", error);
  }

  private onFrame(number: number, jpeg: Uint8Array, arrivalMs: number): void {
    if (this.delivered.has(number)) return;
    try {
      inspectJpeg(jpeg);
    } catch {
      this.statistics.recordDroppedFrame();
      return;
    }
    this.delivered.add(number);
    const frame: ReceivedFrame = { number, jpeg, arrivalMs };
    this.statistics.recordFrame(frame);
    this.emit("frame", frame);
    const total = this.driver.totalFrames;
    if (total !== null && number >= total) this.reachedLastFrame = true;
  }

  private mediaCallbacks(): MediaCallbacks {
    return {
      packet: (sequenceNumber, rtpTimestamp, arrivalMs) => {
        this.lastPacketMs = arrivalMs;
        this.statistics.recordPacket(sequenceNumber, rtpTimestamp, arrivalMs);
      },
      frame: (number, jpeg, arrivalMs) => this.onFrame(number, jpeg, arrivalMs),
      droppedFrame: () => this.statistics.recordDroppedFrame(),
      latePacket: () => this.statistics.recordLatePacket(),
      senderReport: (figures) => this.statistics.recordSenderReport(figures),
      streamEnded: () => this.endStream(),
      newPosition: () => this.onNewPosition(),
      reportBlock: (ssrc, lastSr, delay) => this.statistics.reportBlock(ssrc, lastSr, delay),
      connectionLost: (error) => {
        if (!this.closing) this.fail(error);
      },
    };
  }
}
