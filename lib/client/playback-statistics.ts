// Everything a run measures, gathered in one place; snapshot() gives the live numbers the report is built from.
import { JPEG_CLOCK_RATE } from "../rtp/packet.ts";
import { ReceiverStats } from "../rtp/receiver-stats.ts";
import { cumulativeDrift, IntervalTally, type FrameArrival, type IntervalSummary } from "./frame-timing.ts";

export interface ReceivedFrame {
  /** 1-based frame number in the movie. */
  number: number;
  jpeg: Uint8Array;
  /** Local clock (performance.now() scale), ms. */
  arrivalMs: number;
}

export interface PacketCounts {
  received: number;
  expected: number;
  lost: number;
  late: number;
  outOfOrder: number;
  duplicates: number;
}

export interface SenderReportFigures {
  packetCount: number;
  octetCount: number;
}

/**
 * The sender's counts beside ours: loss seen from the server's end. Measured between the first and the latest sender
 * report, since a shared stream's counts start before this client joined; our server sends one after the first frame and
 * a last one with its BYE.
 */
export interface ServerFigures extends SenderReportFigures {
  /** Packets the server sent between its first and latest reports that did not arrive here. */
  packetsLost: number;
  lossFraction: number;
}

export interface StatisticsSnapshot {
  framesReceived: number;
  framesDropped: number;
  bytes: number;
  /** Number of the last frame received, 0 before the first. */
  lastFrameNumber: number;
  packets: PacketCounts;
  jitterMs: number;
  intervals: IntervalSummary;
  targetPeriodMs: number;
  driftMs: number;
  /** PLAY reply (or start) to the last frame, seconds. */
  durationSeconds: number;
  dataRateBitsPerSecond: number;
  firstFrameAfterPlayMs: number | null;
  server?: ServerFigures;
}

/** How long after a seek request its jump may still arrive: the lab's reply is only known after 150 ms of quiet. */
const SEEK_SETTLE_MS = 1000;

/**
 * Packet figures are summed over segments: a seek makes the sender's sequence numbers jump (the lab numbers packets by
 * frame), and RFC 3550 sequence tracking would count the jump as loss. A seek only marks a segment as pending: packets and
 * frames of the old position may still be in flight, so the new segment begins at the first discontinuity after it.
 */
export class PlaybackStatistics {
  private readonly finishedSegments: PacketCounts[] = [];
  private segment = new ReceiverStats(JPEG_CLOCK_RATE);
  private late = 0;
  private framesDropped = 0;
  private bytes = 0;
  private framesReceived = 0;
  private firstArrival: FrameArrival | undefined;
  private lastArrival: FrameArrival | undefined;
  /** The first frame of the current segment: drift is measured within one stretch of playback. */
  private segmentFirstArrival: FrameArrival | undefined;
  /** Players take a snapshot per frame drawn: the interval figures must not cost a sort of the whole run each time. */
  private readonly intervals = new IntervalTally();
  private lastSequence: number | undefined;
  /** Until when (local ms) a discontinuity is taken as the pending seek rather than loss. */
  private jumpExpectedUntilMs = -Infinity;
  private playRepliedMs: number | undefined;
  private firstFrameAfterPlayMs: number | null = null;
  private server: ServerFigures | undefined;
  private firstSenderReport: { packetCount: number; received: number } | undefined;

  constructor(
    readonly fps: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get targetPeriodMs(): number {
    return 1000 / this.fps;
  }

  /** The packet's stats: what ReceiverStats expects, with the receiver's own arrival time. */
  recordPacket(sequenceNumber: number, rtpTimestamp: number, arrivalMs: number): void {
    const jumped = this.lastSequence !== undefined && sequenceNumber !== ((this.lastSequence + 1) & 0xffff);
    if (jumped && arrivalMs <= this.jumpExpectedUntilMs) {
      this.finishedSegments.push(this.segmentCounts());
      this.segment = new ReceiverStats(JPEG_CLOCK_RATE);
    }
    this.lastSequence = sequenceNumber;
    this.segment.record(sequenceNumber, rtpTimestamp, arrivalMs);
  }

  /** Arrived after its frame was completed or abandoned. */
  recordLatePacket(): void {
    this.late++;
  }

  recordDroppedFrame(): void {
    this.framesDropped++;
  }

  recordFrame(frame: ReceivedFrame): void {
    const arrival: FrameArrival = { number: frame.number, arrivalMs: frame.arrivalMs };
    const previous = this.lastArrival;
    if (previous === undefined) {
      this.firstArrival = arrival;
      this.segmentFirstArrival = arrival;
      if (this.playRepliedMs !== undefined) this.firstFrameAfterPlayMs = frame.arrivalMs - this.playRepliedMs;
    } else {
      if (frame.number !== previous.number + 1 && frame.arrivalMs <= this.jumpExpectedUntilMs) this.segmentFirstArrival = arrival;
      this.intervals.add(frame.arrivalMs - previous.arrivalMs);
    }
    this.lastArrival = arrival;
    this.framesReceived++;
    this.bytes += frame.jpeg.length;
  }

  /** A new PLAY at another position: sequence tracking and the pacing reference restart at the jump it causes. */
  startSegment(): void {
    this.jumpExpectedUntilMs = this.now() + SEEK_SETTLE_MS;
  }

  /** A lab reply is only known complete after silence, so frames may already be here when this is called. */
  recordPlayReply(atMs: number): void {
    if (this.playRepliedMs !== undefined) return;
    this.playRepliedMs = atMs;
    if (this.firstArrival !== undefined) this.firstFrameAfterPlayMs = this.firstArrival.arrivalMs - atMs;
  }

  recordSenderReport(figures: SenderReportFigures): void {
    // `received` counts distinct packets, so duplicates do not hide loss.
    const received = this.snapshotCounts().received;
    this.firstSenderReport ??= { packetCount: figures.packetCount, received };
    const sent = (figures.packetCount - this.firstSenderReport.packetCount) >>> 0;
    const packetsLost = Math.max(0, sent - (received - this.firstSenderReport.received));
    this.server = { ...figures, packetsLost, lossFraction: sent > 0 ? packetsLost / sent : 0 };
  }

  /** The RTCP receiver report block for the current segment. */
  reportBlock(ssrc: number, lastSr: number, delaySinceLastSr: number) {
    return this.segment.reportBlock(ssrc, lastSr, delaySinceLastSr);
  }

  snapshot(): StatisticsSnapshot {
    const { received, expected, lost, outOfOrder, duplicates } = this.snapshotCounts();
    const last = this.lastArrival;
    const segmentFirst = this.segmentFirstArrival;
    const startMs = this.playRepliedMs ?? this.firstArrival?.arrivalMs;
    const endMs = last?.arrivalMs ?? this.now();
    const durationSeconds = startMs === undefined ? 0 : Math.max(0, endMs - startMs) / 1000;
    return {
      framesReceived: this.framesReceived,
      framesDropped: this.framesDropped,
      bytes: this.bytes,
      lastFrameNumber: last?.number ?? 0,
      packets: {
        received,
        expected,
        lost,
        late: this.late,
        outOfOrder,
        duplicates,
      },
      jitterMs: (this.segment.jitter / JPEG_CLOCK_RATE) * 1000,
      intervals: this.intervals.summary(),
      targetPeriodMs: this.targetPeriodMs,
      driftMs: last === undefined || segmentFirst === undefined ? 0 : cumulativeDrift([segmentFirst, last], this.targetPeriodMs),
      durationSeconds,
      dataRateBitsPerSecond: durationSeconds > 0 ? (this.bytes * 8) / durationSeconds : 0,
      firstFrameAfterPlayMs: this.firstFrameAfterPlayMs,
      server: this.server,
    };
  }

  /** Packet counts summed over every segment so far. */
  private snapshotCounts(): Omit<PacketCounts, "late"> {
    const counts = [...this.finishedSegments, this.segmentCounts()];
    const sum = (pick: (c: PacketCounts) => number) => counts.reduce((total, c) => total + pick(c), 0);
    return {
      received: sum((c) => c.received),
      expected: sum((c) => c.expected),
      lost: Math.max(0, sum((c) => c.lost)),
      outOfOrder: sum((c) => c.outOfOrder),
      duplicates: sum((c) => c.duplicates),
    };
  }

  private segmentCounts(): PacketCounts {
    const s = this.segment;
    return { received: s.received, expected: s.expected, lost: s.lost, late: 0, outOfOrder: s.outOfOrder, duplicates: s.duplicates };
  }
}
