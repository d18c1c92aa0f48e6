// Per-source reception statistics the RFC 3550 way (A.1 sequence tracking, A.3 loss, A.8 jitter). CONTRACT (owned by lib/rtp).
import type { ReportBlock } from "./rtcp.ts";

export declare class ReceiverStats {
  /** clockRate: 90000 for JPEG. */
  constructor(clockRate: number);
  /** Record one arriving packet; `arrivalMs` is the local clock in ms. */
  record(sequenceNumber: number, rtpTimestamp: number, arrivalMs: number): void;
  readonly received: number;
  readonly expected: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  /** Interarrival jitter in timestamp units (RFC 3550 A.8). */
  readonly jitter: number;
  /** A report block for an RR; resets the interval counters used for fraction lost. */
  reportBlock(ssrc: number, lastSr: number, delaySinceLastSr: number): ReportBlock;
}
