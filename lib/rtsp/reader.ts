// Incremental RTSP stream parser (pg-protocol style): feed chunks, get whole messages or errors as values.
// CONTRACT (owned by lib/rtsp).
//
// A message ends at a blank line (then a Content-Length body may follow), or, for the lab dialect that never sends
// the blank line, where the next start line or `$` frame begins, or at flush(). Every decision is taken on whole
// lines or at fixed byte positions, so the events do not depend on how the stream was cut into chunks.
import { ByteQueue } from "./byte-queue.ts";
import { getHeader, type HeaderList, type RtspRequest, type RtspResponse } from "./message.ts";

export interface ReaderLimits {
  maxHeaderBytes: number; // request line + headers
  maxHeaders: number;
  maxBodyBytes: number;
  /** Longest request-URI before 414; defaults to 4096 bytes. */
  maxUriBytes?: number;
}

export type ReaderEvent<M> =
  | { type: "message"; message: M }
  /** RFC 2326 §10.12 interleaved binary data (`$`, channel, u16 length, payload). */
  | { type: "interleaved"; channel: number; payload: Uint8Array }
  /** A malformed message: `status` is the RTSP status to answer with; `fatal` means the stream cannot be resynchronized. */
  | { type: "error"; status: number; reason: string; fatal: boolean; cseq?: string };

export const DEFAULT_READER_LIMITS: Readonly<Required<ReaderLimits>> = Object.freeze({
  maxHeaderBytes: 8192,
  maxHeaders: 100,
  maxBodyBytes: 65536,
  maxUriBytes: 4096,
});

/** RFC 2326's version and the lab's extended one; anything else is answered with 505. */
const ACCEPTED_VERSIONS = new Set(["RTSP/1.0", "RTSP/1.4"]);

const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const DOLLAR = 0x24;
const INTERLEAVED_HEADER_BYTES = 4;
/** How much of an overlong line is decoded to tell a start line from a header line. */
const PREFIX_BYTES = 256;

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const TOKEN_BYTE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]$/;
const VERSION = "[A-Za-z]+/\\d+\\.\\d+";
const REQUEST_LINE = new RegExp(`^(${TOKEN})[ \\t]+(\\S+)[ \\t]+(${VERSION})[ \\t]*$`);
const STATUS_LINE = new RegExp(`^(${VERSION})[ \\t]+(\\d{3})(?:[ \\t]+(.*))?$`);
const HEADER_LINE = new RegExp(`^(${TOKEN})[ \\t]*:(.*)$`);
const CONTROL_CHARACTER = /[\x00-\x08\x0a-\x1f\x7f]/;

type MessageKind = "request" | "response";

interface Syntax {
  /** A whole line that begins a new message. */
  startLine: RegExp;
  /** The beginning of a line too long to read whole that would begin a new message. */
  startLinePrefix: RegExp;
}

const SYNTAX: Record<MessageKind, Syntax> = {
  // A header line has `name:` before any space, so `token SP` can only begin a request line.
  request: { startLine: REQUEST_LINE, startLinePrefix: new RegExp(`^${TOKEN}[ \\t]`) },
  // Header names cannot contain `/`.
  response: { startLine: STATUS_LINE, startLinePrefix: /^[A-Za-z]+\/\d/ },
};

interface Failure {
  status: number;
  reason: string;
}

type StartLine =
  | { kind: "request"; method: string; uri: string; version: string }
  | { kind: "response"; version: string; status: number; reason: string };

type ReaderState =
  | { kind: "idle" }
  /** Reading the start line and headers; `lines` are the complete ones, `scanned` the bytes they span. */
  | { kind: "head"; lines: string[]; scanned: number }
  | { kind: "body"; start: StartLine; headers: HeaderList; length: number }
  | { kind: "skip-body"; remaining: number }
  /** Dropping the rest of a rejected message; `midLine` while inside a line too long to keep. */
  | { kind: "discard"; midLine: boolean }
  /** After a fatal error nothing more is read. */
  | { kind: "broken" };

const lineDecoder = new TextDecoder("utf-8");

export class RtspReader<M extends RtspRequest | RtspResponse> {
  private readonly kind: MessageKind;
  private readonly limits: Required<ReaderLimits>;
  private readonly syntax: Syntax;
  private readonly queue = new ByteQueue();
  private state: ReaderState = { kind: "idle" };
  /** Where the search for the current line's end resumes, so byte-by-byte delivery stays linear. */
  private searchFrom = 0;

  constructor(kind: M extends RtspRequest ? "request" : "response", limits: Partial<ReaderLimits> = {}) {
    this.kind = kind;
    this.limits = { ...DEFAULT_READER_LIMITS, ...limits };
    this.syntax = SYNTAX[kind];
  }

  /** Parse as many complete messages as the buffered bytes hold. */
  push(chunk: Uint8Array): ReaderEvent<M>[] {
    if (this.state.kind === "broken") return [];
    this.queue.append(chunk);
    return this.read(false);
  }

  /**
   * The lab client sends requests with no terminating blank line (and often no final newline).
   * A caller that sees the connection go quiet calls this to take the buffered text as one whole message.
   */
  flush(): ReaderEvent<M>[] {
    return this.read(true);
  }

  /** True when bytes of an unterminated message are buffered. */
  get pending(): boolean {
    return this.state.kind === "head" || this.state.kind === "discard";
  }

  /** Bytes held for messages not yet complete; bounded by the limits whatever the input. */
  get bufferedBytes(): number {
    return this.queue.length;
  }

  private read(atEnd: boolean): ReaderEvent<M>[] {
    const events: ReaderEvent<M>[] = [];
    while (this.step(atEnd, events));
    return events;
  }

  /** One step of the state machine; false when it needs more bytes. */
  private step(atEnd: boolean, events: ReaderEvent<M>[]): boolean {
    switch (this.state.kind) {
      case "idle":
        return this.readBoundary(events);
      case "head":
        return this.readHead(this.state, atEnd, events);
      case "body":
        return this.readBody(this.state, events);
      case "skip-body":
        return this.skipBody(this.state);
      case "discard":
        return this.discard(this.state, atEnd);
      case "broken":
        return false;
    }
  }

  private readBoundary(events: ReaderEvent<M>[]): boolean {
    const queue = this.queue;
    while (queue.length > 0) {
      const first = queue.at(0);
      if (first === CR || first === LF) {
        queue.consume(1);
        continue;
      }
      if (first === DOLLAR) {
        if (queue.length < INTERLEAVED_HEADER_BYTES) return false;
        const end = INTERLEAVED_HEADER_BYTES + ((queue.at(2) << 8) | queue.at(3));
        if (queue.length < end) return false;
        events.push({ type: "interleaved", channel: queue.at(1), payload: queue.copy(INTERLEAVED_HEADER_BYTES, end) });
        queue.consume(end);
        continue;
      }
      if (!TOKEN_BYTE.test(String.fromCharCode(first))) {
        this.breakStream(events, "binary data where an RTSP message should begin");
        return false;
      }
      this.state = { kind: "head", lines: [], scanned: 0 };
      this.searchFrom = 0;
      return true;
    }
    return false;
  }

  private readHead(state: Extract<ReaderState, { kind: "head" }>, atEnd: boolean, events: ReaderEvent<M>[]): boolean {
    const { maxHeaderBytes, maxHeaders } = this.limits;
    for (;;) {
      const lineStart = state.scanned;
      const isFirst = state.lines.length === 0;
      const lineFeed = isFirst ? this.findLineFeed(lineStart, true) : this.findLineFeed(lineStart, false);
      if (lineFeed === "control") {
        this.breakStream(events, "control bytes in the start line: not RTSP");
        return false;
      }
      let lineEnd: number;
      let next: number;
      if (lineFeed === undefined) {
        const partial = this.queue.length - lineStart;
        if (partial === 0) {
          if (!atEnd) return false;
          this.completeHead(state.lines, lineStart, false, events);
          return true;
        }
        if (!isFirst && this.queue.at(lineStart) === DOLLAR) {
          this.completeHead(state.lines, lineStart, false, events);
          return true;
        }
        if (partial > maxHeaderBytes) {
          this.rejectOverlongLine(state, lineStart, this.queue.length, true, events);
          return true;
        }
        if (!atEnd) return false;
        lineEnd = this.queue.length;
        next = lineEnd;
      } else {
        lineEnd = lineFeed;
        next = lineFeed + 1;
      }
      if (lineEnd - lineStart > maxHeaderBytes) {
        this.rejectOverlongLine(state, lineStart, next, false, events);
        return true;
      }
      const line = this.decodeLine(lineStart, lineEnd);
      if (!isFirst) {
        if (line === "") {
          this.completeHead(state.lines, next, true, events);
          return true;
        }
        if (this.queue.at(lineStart) === DOLLAR || this.syntax.startLine.test(line)) {
          this.completeHead(state.lines, lineStart, false, events);
          return true;
        }
      }
      if (next > maxHeaderBytes || state.lines.length > maxHeaders) {
        const reason = next > maxHeaderBytes ? "header block too large" : "too many header lines";
        this.rejectAndDiscard(events, { status: 431, reason }, cseqOf(state.lines), next, false);
        return true;
      }
      state.lines.push(line);
      state.scanned = next;
    }
  }

  /** A line longer than maxHeaderBytes: either the next message's start line or a header too large to keep. */
  private rejectOverlongLine(
    state: Extract<ReaderState, { kind: "head" }>,
    lineStart: number,
    next: number,
    partial: boolean,
    events: ReaderEvent<M>[],
  ): void {
    const prefix = this.decodeLine(lineStart, Math.min(lineStart + PREFIX_BYTES, this.queue.length));
    if (state.lines.length === 0) {
      const looksLikeRequest = this.kind === "request" && /^\S+[ \t]+\S/.test(prefix);
      const failure = looksLikeRequest
        ? { status: 414, reason: "request line too long" }
        : { status: 400, reason: "start line too long" };
      this.rejectAndDiscard(events, failure, undefined, next, partial);
    } else if (this.syntax.startLinePrefix.test(prefix)) {
      this.completeHead(state.lines, lineStart, false, events);
    } else {
      this.rejectAndDiscard(events, { status: 431, reason: "header line too large" }, cseqOf(state.lines), next, partial);
    }
  }

  private rejectAndDiscard(
    events: ReaderEvent<M>[],
    failure: Failure,
    cseq: string | undefined,
    consumed: number,
    midLine: boolean,
  ): void {
    events.push(errorEvent(failure, cseq));
    this.queue.consume(consumed);
    this.searchFrom = 0;
    this.state = { kind: "discard", midLine };
  }

  /** The head spans `lines`; `consumed` bytes (through the blank line, if any) leave the queue. */
  private completeHead(lines: string[], consumed: number, terminated: boolean, events: ReaderEvent<M>[]): void {
    this.queue.consume(consumed);
    this.searchFrom = 0;
    this.state = { kind: "idle" };
    const { headers, failure: headerFailure } = parseHeaderLines(lines.slice(1));
    const cseq = getHeader(headers, "CSeq");
    const start = this.parseStartLine(lines[0]);
    const bodyLength = contentLength(headers);
    if (bodyLength === undefined) {
      events.push(errorEvent({ status: 400, reason: "invalid Content-Length" }, cseq));
      return;
    }
    if (!terminated && bodyLength > 0) {
      events.push(errorEvent({ status: 400, reason: "a body needs a blank line before it" }, cseq));
      return;
    }
    if ("failure" in start || headerFailure !== undefined || bodyLength > this.limits.maxBodyBytes) {
      const failure = "failure" in start ? start.failure : (headerFailure ?? { status: 413, reason: "body too large" });
      events.push(errorEvent(failure, cseq));
      if (bodyLength > 0) this.state = { kind: "skip-body", remaining: bodyLength };
      return;
    }
    if (bodyLength > 0) {
      this.state = { kind: "body", start: start.start, headers, length: bodyLength };
      return;
    }
    events.push({ type: "message", message: buildMessage<M>(start.start, headers, new Uint8Array(0)) });
  }

  private readBody(state: Extract<ReaderState, { kind: "body" }>, events: ReaderEvent<M>[]): boolean {
    if (this.queue.length < state.length) return false;
    const body = this.queue.copy(0, state.length);
    this.queue.consume(state.length);
    this.state = { kind: "idle" };
    events.push({ type: "message", message: buildMessage<M>(state.start, state.headers, body) });
    return true;
  }

  private skipBody(state: Extract<ReaderState, { kind: "skip-body" }>): boolean {
    const skipped = Math.min(state.remaining, this.queue.length);
    this.queue.consume(skipped);
    state.remaining -= skipped;
    if (state.remaining > 0) return false;
    this.state = { kind: "idle" };
    return true;
  }

  /** Drop whole lines until the rejected message ends: at a blank line, a new message, or flush(). */
  private discard(state: Extract<ReaderState, { kind: "discard" }>, atEnd: boolean): boolean {
    const queue = this.queue;
    const { maxHeaderBytes } = this.limits;
    for (;;) {
      const lineFeed = this.findLineFeed(0, false);
      if (state.midLine) {
        queue.consume(lineFeed === undefined ? queue.length : lineFeed + 1);
        this.searchFrom = 0;
        if (lineFeed === undefined && !atEnd) return false;
        state.midLine = false;
        continue;
      }
      let lineEnd: number;
      let next: number;
      if (lineFeed === undefined) {
        if (queue.length === 0) {
          if (atEnd) break;
          return false;
        }
        if (queue.at(0) === DOLLAR) break;
        if (queue.length > maxHeaderBytes) {
          if (this.syntax.startLinePrefix.test(this.decodeLine(0, PREFIX_BYTES))) break;
          state.midLine = true;
          continue;
        }
        if (!atEnd) return false;
        lineEnd = queue.length;
        next = lineEnd;
      } else {
        lineEnd = lineFeed;
        next = lineFeed + 1;
      }
      const overlong = lineEnd > maxHeaderBytes;
      const line = this.decodeLine(0, overlong ? PREFIX_BYTES : lineEnd);
      if (queue.at(0) === DOLLAR) break;
      if (overlong ? this.syntax.startLinePrefix.test(line) : this.syntax.startLine.test(line)) break;
      queue.consume(next);
      this.searchFrom = 0;
      if (line === "") break;
    }
    this.state = { kind: "idle" };
    return true;
  }

  /**
   * The index of the line feed ending the line at `lineStart`, or undefined if it has not arrived. With
   * `rejectControls` (the start line), a control byte within the first maxHeaderBytes + 1 bytes means the peer
   * is not speaking RTSP.
   */
  private findLineFeed(lineStart: number, rejectControls: true): number | "control" | undefined;
  private findLineFeed(lineStart: number, rejectControls: boolean): number | undefined;
  private findLineFeed(lineStart: number, rejectControls: boolean): number | "control" | undefined {
    const queue = this.queue;
    const controlLimit = lineStart + this.limits.maxHeaderBytes;
    for (let index = Math.max(this.searchFrom, lineStart); index < queue.length; index++) {
      const byte = queue.at(index);
      if (byte === LF) {
        this.searchFrom = index;
        return index;
      }
      if (rejectControls && index <= controlLimit && isControlByte(byte)) return "control";
    }
    this.searchFrom = queue.length;
    return undefined;
  }

  private decodeLine(from: number, to: number): string {
    const end = Math.min(to, this.queue.length);
    const trimmed = end > from && this.queue.at(end - 1) === CR ? end - 1 : end;
    return lineDecoder.decode(this.queue.view(from, trimmed));
  }

  private parseStartLine(line: string): { start: StartLine } | { failure: Failure } {
    if (this.kind === "request") {
      const match = REQUEST_LINE.exec(line);
      if (!match) return { failure: { status: 400, reason: "malformed request line" } };
      const [, method, uri, version] = match;
      if (!ACCEPTED_VERSIONS.has(version)) return { failure: { status: 505, reason: `unsupported version ${version}` } };
      if (Buffer.byteLength(uri) > this.limits.maxUriBytes) {
        return { failure: { status: 414, reason: "request-URI too long" } };
      }
      return { start: { kind: "request", method, uri, version } };
    }
    const match = STATUS_LINE.exec(line);
    if (!match) return { failure: { status: 400, reason: "malformed status line" } };
    const [, version, status, reason = ""] = match;
    if (!ACCEPTED_VERSIONS.has(version)) return { failure: { status: 505, reason: `unsupported version ${version}` } };
    return { start: { kind: "response", version, status: Number(status), reason: reason.trim() } };
  }

  private breakStream(events: ReaderEvent<M>[], reason: string): void {
    events.push({ type: "error", status: 400, reason, fatal: true });
    this.queue.clear();
    this.state = { kind: "broken" };
  }
}

function isControlByte(byte: number): boolean {
  return (byte < 0x20 && byte !== TAB && byte !== CR) || byte === 0x7f;
}

/** Header lines to a list; folded continuation lines (leading whitespace) join the previous value. */
function parseHeaderLines(lines: string[]): { headers: HeaderList; failure?: Failure } {
  const headers: HeaderList = [];
  let failure: Failure | undefined;
  for (const line of lines) {
    const previous = headers.at(-1);
    if ((line.startsWith(" ") || line.startsWith("\t")) && previous !== undefined) {
      previous[1] = `${previous[1]} ${line.trim()}`.trim();
      continue;
    }
    const match = HEADER_LINE.exec(line);
    if (!match || CONTROL_CHARACTER.test(line)) {
      failure ??= { status: 400, reason: "malformed header line" };
      continue;
    }
    headers.push([match[1], match[2].trim()]);
  }
  return { headers, failure };
}

/** The CSeq of a message that is being rejected before its head was complete. */
function cseqOf(lines: string[]): string | undefined {
  return getHeader(parseHeaderLines(lines.slice(1)).headers, "CSeq");
}

/** 0 without the header; undefined when it is unreadable or repeated with different values. */
function contentLength(headers: HeaderList): number | undefined {
  const values = headers.filter(([name]) => name.toLowerCase() === "content-length").map(([, value]) => value);
  if (values.length === 0) return 0;
  if (!values.every((value) => /^\d+$/.test(value) && value === values[0])) return undefined;
  return Number(values[0]);
}

function errorEvent<M>(failure: Failure, cseq: string | undefined): ReaderEvent<M> {
  const event: ReaderEvent<M> = { type: "error", status: failure.status, reason: failure.reason, fatal: false };
  return cseq === undefined ? event : { ...event, cseq };
}

function buildMessage<M>(start: StartLine, headers: HeaderList, body: Uint8Array): M {
  const message =
    start.kind === "request"
      ? { method: start.method, uri: start.uri, version: start.version, headers, body }
      : { version: start.version, status: start.status, reason: start.reason, headers, body };
  return message as M;
}
