// Incremental RTSP stream parser (pg-protocol style): feed chunks, get whole messages or errors as values.
// CONTRACT (owned by lib/rtsp).
import type { RtspRequest, RtspResponse } from "./message.ts";

export interface ReaderLimits {
  maxHeaderBytes: number; // request line + headers
  maxHeaders: number;
  maxBodyBytes: number;
}

export type ReaderEvent<M> =
  | { type: "message"; message: M }
  /** RFC 2326 §10.12 interleaved binary data (`$`, channel, u16 length, payload). */
  | { type: "interleaved"; channel: number; payload: Uint8Array }
  /** A malformed message: `status` is the RTSP status to answer with; `fatal` means the stream cannot be resynchronized. */
  | { type: "error"; status: number; reason: string; fatal: boolean; cseq?: string };

export declare class RtspReader<M extends RtspRequest | RtspResponse> {
  constructor(kind: M extends RtspRequest ? "request" : "response", limits?: Partial<ReaderLimits>);
  /** Parse as many complete messages as the buffered bytes hold. */
  push(chunk: Uint8Array): ReaderEvent<M>[];
  /**
   * The lab client sends requests with no terminating blank line (and often no final newline).
   * A caller that sees the connection go quiet calls this to take the buffered text as one whole message.
   */
  flush(): ReaderEvent<M>[];
  /** True when bytes of an unterminated message are buffered. */
  readonly pending: boolean;
}
