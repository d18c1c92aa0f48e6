// What a dialect (the lab's, or standard RFC 2326) does on the wire; ClientSession keeps state, events and statistics.
import type { ReportBlock } from "../rtp/rtcp.ts";
import type { ClientError } from "./client-error.ts";
import type { SenderReportFigures } from "./playback-statistics.ts";

/** What a driver reports while media flows. Frames are whole JPEGs, not yet validated. */
export interface MediaCallbacks {
  packet(sequenceNumber: number, rtpTimestamp: number, arrivalMs: number): void;
  frame(number: number, jpeg: Uint8Array, arrivalMs: number): void;
  droppedFrame(reason: string): void;
  latePacket(): void;
  senderReport(figures: SenderReportFigures): void;
  /** The server said the stream is over (RTCP BYE). */
  streamEnded(): void;
  /**
   * The server sends from a new position now (a PLAY reply; a lab FORWARD, BACKWARD or RESTART reply): frame numbers
   * already seen may come again. Until then they may still be the old position's.
   */
  newPosition(): void;
  /** The report block for an RTCP receiver report (RFC 3550 figures of what arrived so far). */
  reportBlock(ssrc: number, lastSr: number, delaySinceLastSr: number): ReportBlock;
  /** The control connection went away. */
  connectionLost(error: ClientError): void;
}

export interface DialectDriver {
  readonly dialect: "lab" | "rtsp";
  readonly transport: "udp" | "tcp";
  /** Frames in the movie, when the server tells (lab 1.4 `Frames:`, SDP range × framerate). */
  readonly totalFrames: number | null;
  readonly fps: number;
  describe(): Promise<string>;
  setup(): Promise<void>;
  /** Start or resume; `fromFrame` (1-based) seeks where the dialect can. Resolves to when the reply arrived. */
  play(fromFrame?: number): Promise<number>;
  pause(): Promise<void>;
  teardown(): Promise<void>;
  /** Moves the play position; `currentFrame` is the last frame received. */
  skip(deltaFrames: number, currentFrame: number): Promise<void>;
  restart(): Promise<void>;
  /** Standard path, transport auto: UDP brought nothing, so tear down and set up again over TCP interleaved, playing. */
  switchToTcp?(): Promise<void>;
  /** The stream is over: hand on the frames still held back for reordering (standard path). */
  drainMedia?(): void;
  /** Release sockets without talking to the server. */
  close(): void;
}
