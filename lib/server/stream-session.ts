// One RTSP session: its state, where it is in the movie, and how its frames and RTCP reach the client.
// Sequence numbers and timestamps follow the dialect: the lab numbers packets by frame (1-based) and carries a
// whole JPEG per datagram; the standard path numbers packets continuously from a random start.
import { writeRtpHeader, type RtpHeader } from "../rtp/packet.ts";
import { decodeRtcp, encodeRtcp, ntpFromUnixMs, type ReportBlock, type RtcpPacket } from "../rtp/rtcp.ts";
import type { MediaTransport } from "./media-transport.ts";
import type { FramePackets, ServedMovie } from "./movie-library.ts";
import type { PacedRun, Pacer } from "./pacer.ts";
import { SessionState } from "./session-state.ts";

export type Dialect = "lab" | "standard";

const RTP_CLOCK_RATE = 90_000;
const PAYLOAD_TYPE_JPEG = 26;
const SENDER_REPORT_INTERVAL_MS = 5_000;
/**
 * How long the end-of-movie BYE waits after the last frame. Sent right behind it, the BYE can overtake the last frames'
 * UDP packets at a busy receiver: ffmpeg and GStreamer end the stream on it and drop what is still queued.
 */
const END_OF_MOVIE_GRACE_MS = 250;
/** FORWARD and BACKWARD move this many frames (one second at the lab's 20 fps). */
export const LAB_SKIP_FRAMES = 20;

export interface SessionOptions {
  id: string;
  dialect: Dialect;
  movie: ServedMovie;
  frames: FramePackets;
  transport: MediaTransport;
  pacer: Pacer;
  fps: number;
  /** The control URL the client set up (RTP-Info's url). */
  controlUrl: string;
  /** Where the client receives RTP, for the lab's DESCRIBE text (undefined over TCP). */
  clientRtpPort?: number;
  cname: string;
  /** The movie ran out while playing: the session is READY again. */
  onEndOfMovie: (session: StreamSession) => void;
}

function randomUint32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

export class StreamSession implements PacedRun {
  readonly id: string;
  readonly dialect: Dialect;
  readonly movie: ServedMovie;
  readonly controlUrl: string;
  readonly clientRtpPort?: number;
  readonly ssrc: number;
  state = SessionState.Ready;
  /** Index of the next frame to send. */
  position = 0;
  packetsSent = 0;
  octetsSent = 0;
  framesSkipped = 0;
  /** performance.now() of the client's last RTSP request or RTCP packet. */
  lastActivity = performance.now();
  receiverReport?: ReportBlock;

  private transport: MediaTransport;
  private readonly frames: FramePackets;
  /** Rewritten for every packet: writing a header allocates nothing. */
  private readonly header: RtpHeader;
  private readonly pacer: Pacer;
  private readonly fps: number;
  private readonly cname: string;
  private readonly onEndOfMovie: (session: StreamSession) => void;
  private nextSequence: number;
  private readonly timestampBase: number;
  private run = { time: 0, position: 0 };
  private lastSenderReport = Number.NEGATIVE_INFINITY;
  private ended = false;
  /** Pacer ticks since the last frame went out, while the BYE waits. */
  private ticksAfterLastFrame = 0;

  constructor(options: SessionOptions) {
    this.id = options.id;
    this.dialect = options.dialect;
    this.movie = options.movie;
    this.frames = options.frames;
    this.transport = options.transport;
    this.pacer = options.pacer;
    this.fps = options.fps;
    this.controlUrl = options.controlUrl;
    this.clientRtpPort = options.clientRtpPort;
    this.cname = options.cname;
    this.onEndOfMovie = options.onEndOfMovie;
    const random = randomUint32();
    this.ssrc = this.dialect === "lab" ? 0 : random;
    this.nextSequence = random & 0xffff;
    this.timestampBase = this.dialect === "lab" ? 0 : randomUint32();
    this.header = { marker: false, payloadType: PAYLOAD_TYPE_JPEG, sequenceNumber: 0, timestamp: 0, ssrc: this.ssrc };
    // Built now rather than between the PLAY reply and frame 0.
    this.frames.packets(0);
  }

  get frameCount(): number {
    return this.frames.frameCount;
  }

  get durationSeconds(): number {
    return this.frameCount / this.fps;
  }

  /** The sequence number the next packet will carry. */
  get sequenceNumber(): number {
    return this.dialect === "lab" ? (this.position + 1) & 0xffff : this.nextSequence;
  }

  timestampOf(frameIndex: number): number {
    return (this.timestampBase + Math.round((frameIndex * RTP_CLOCK_RATE) / this.fps)) >>> 0;
  }

  /** A new transport after a repeated SETUP; the old one is closed. */
  replaceTransport(transport: MediaTransport): void {
    this.transport.close();
    this.transport = transport;
  }

  /** Moves to a frame (clamped to the movie); a running schedule restarts from there with a fresh time base. */
  seek(frameIndex: number): void {
    this.position = Math.max(0, Math.min(this.frameCount - 1, frameIndex));
    if (this.state === SessionState.Playing) this.startRun();
  }

  play(): void {
    this.state = SessionState.Playing;
    this.startRun();
  }

  pause(): void {
    this.state = SessionState.Ready;
    this.pacer.stop(this);
  }

  /** Stops sending for good; standard clients get an RTCP BYE when `sayGoodbye`. */
  end(sayGoodbye: boolean): void {
    if (this.ended) return;
    this.ended = true;
    this.state = SessionState.Init;
    this.pacer.stop(this);
    if (sayGoodbye && this.dialect === "standard") this.sendGoodbye();
    this.transport.close();
  }

  sendFrame(): boolean {
    if (this.position >= this.frameCount) {
      return this.ticksAfterLastFrame++ * (1000 / this.fps) < END_OF_MOVIE_GRACE_MS || this.finishMovie();
    }
    const index = this.position++;
    if (this.transport.congested) {
      this.framesSkipped++;
    } else {
      this.sendPackets(index);
    }
    // Packetized now, with a whole period to spare, rather than at the next frame's deadline.
    if (this.position < this.frameCount) this.frames.packets(this.position);
    if (this.dialect === "standard" && performance.now() - this.lastSenderReport >= SENDER_REPORT_INTERVAL_MS) {
      this.sendSenderReport();
    }
    return true;
  }

  /** RTCP from the client (UDP or interleaved): keeps the session alive and records its reception report. */
  receiveRtcp(bytes: Uint8Array): ReportBlock | undefined {
    this.lastActivity = performance.now();
    const packets = decodeRtcp(bytes);
    if (packets instanceof Error) return undefined;
    for (const packet of packets) {
      if (packet.type !== "rr" && packet.type !== "sr") continue;
      const report = packet.reports.find((block) => block.ssrc === this.ssrc);
      if (report) this.receiverReport = report;
    }
    return this.receiverReport;
  }

  private startRun(): void {
    this.run = { time: performance.now(), position: this.position };
    this.ticksAfterLastFrame = 0;
    this.lastSenderReport = Number.NEGATIVE_INFINITY;
    this.pacer.start(this);
  }

  /** Writes this client's headers into the frame's shared packets, then sends them all at once. */
  private sendPackets(index: number): void {
    const packets = this.frames.packets(index);
    const header = this.header;
    header.timestamp = this.timestampOf(index);
    const last = packets.length - 1;
    for (let i = 0; i <= last; i++) {
      header.sequenceNumber = this.dialect === "lab" ? (index + 1) & 0xffff : this.takeSequenceNumber();
      header.marker = i === last;
      writeRtpHeader(packets[i].datagram, 0, header);
      this.octetsSent += packets[i].payloadBytes;
    }
    this.packetsSent += packets.length;
    this.transport.sendRtpPackets(packets);
  }

  private takeSequenceNumber(): number {
    const sequenceNumber = this.nextSequence;
    this.nextSequence = (sequenceNumber + 1) & 0xffff;
    return sequenceNumber;
  }

  /** The movie ran out: READY again (a later PLAY starts over). Standard players end their stream on the BYE. */
  private finishMovie(): false {
    this.state = SessionState.Ready;
    this.pacer.stop(this);
    if (this.dialect === "standard") this.sendGoodbye();
    this.onEndOfMovie(this);
    return false;
  }

  private senderReport(): RtcpPacket {
    const now = performance.now();
    const rtpTime = this.timestampOf(this.run.position) + Math.round(((now - this.run.time) * RTP_CLOCK_RATE) / 1000);
    return {
      type: "sr",
      ssrc: this.ssrc,
      ntpTime: ntpFromUnixMs(performance.timeOrigin + now),
      rtpTime: rtpTime >>> 0,
      packetCount: this.packetsSent >>> 0,
      octetCount: this.octetsSent >>> 0,
      reports: [],
    };
  }

  private sendSenderReport(): void {
    this.lastSenderReport = performance.now();
    this.transport.sendRtcp(encodeRtcp([this.senderReport(), { type: "sdes", chunks: [{ ssrc: this.ssrc, cname: this.cname }] }]));
  }

  private sendGoodbye(): void {
    this.transport.sendRtcp(
      encodeRtcp([
        this.senderReport(),
        { type: "sdes", chunks: [{ ssrc: this.ssrc, cname: this.cname }] },
        { type: "bye", ssrcs: [this.ssrc] },
      ]),
    );
  }

  /** One line for logs: what was sent and what the client reported. */
  summary(): string {
    const sent = `${this.packetsSent} packets, ${this.octetsSent} bytes${this.framesSkipped ? `, ${this.framesSkipped} frames skipped (slow client)` : ""}`;
    const report = this.receiverReport;
    if (!report) return sent;
    const jitterMs = ((report.jitter / RTP_CLOCK_RATE) * 1000).toFixed(1);
    const lostPercent = ((report.fractionLost / 256) * 100).toFixed(1);
    return `${sent}; client reports ${report.cumulativeLost} lost (${lostPercent}% recently), jitter ${jitterMs} ms`;
  }
}
