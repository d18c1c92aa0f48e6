// One RTSP connection: bytes in, requests answered in order, interleaved RTCP routed, sessions ended on close.
import type { Socket } from "bun";
import { getHeader, type RtspRequest } from "../rtsp/message.ts";
import { RtspReader, type ReaderEvent } from "../rtsp/reader.ts";
import { ConnectionWriter } from "./connection-writer.ts";
import { RequestRate, type ServerLimits } from "./limits.ts";
import { errorReply, serializeReply, type Reply } from "./reply.ts";
import { ABSOLUTE_URL, endSession, handleRequest, isLabRequest, type ConnectionContext, type ServerContext } from "./request-handlers.ts";
import type { StreamSession } from "./stream-session.ts";

/** The lab client never ends a request with a blank line: this much silence with a lab-looking head pending ends it. */
const LAB_QUIET_MS = 15;
/**
 * A standard head (absolute URL, RTSP/1.0) normally ends with a blank line; if one is cut across TCP segments it
 * gets much longer before being taken as a whole message.
 */
const STANDARD_QUIET_MS = 250;
/** Enough of the pending text to hold its start line (the reader bounds a head at a few KB anyway). */
const PENDING_TEXT_LIMIT = 16_384;
/** A peer that does not read its replies is closed once this much is waiting for it (interleaved media stops at 1 MiB). */
const MAX_UNREAD_BYTES = 4 << 20;
/** Malformed requests in a row, nothing well-formed between them, after which the peer is taken not to speak RTSP. */
const MAX_CONSECUTIVE_ERRORS = 3;
const PAYLOAD_TOO_LARGE = 413;
const START_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]+(\S+)[ \t]+(RTSP\/\d+\.\d+)\r?$/gm;
const textDecoder = new TextDecoder();

export interface ConnectionLog {
  request(connection: RtspConnection, request: RtspRequest): void;
  reply(connection: RtspConnection, reply: Reply, bytes: Uint8Array): void;
  error(error: unknown): void;
}

export class RtspConnection implements ConnectionContext {
  readonly sessions = new Map<string, StreamSession>();
  readonly rtcpChannels = new Map<number, StreamSession>();
  readonly writer: ConnectionWriter;
  readonly localAddress: string;
  readonly remoteAddress: string;
  /** `address:port` of the client, for logs. */
  readonly peer: string;
  /** performance.now() of the last request, or of the connection's opening. */
  lastRequestAt = performance.now();
  /** performance.now() when the pending (incomplete) request began; undefined when none is pending. */
  pendingSince: number | undefined;
  private readonly reader: RtspReader<RtspRequest>;
  private readonly rate: RequestRate;
  private consecutiveErrors = 0;
  private quietTimer?: ReturnType<typeof setTimeout>;
  private pending: Promise<void> = Promise.resolve();
  /** Whether this peer has spoken the lab dialect: decides the line endings of replies to unparseable bytes. */
  private labPeer = false;
  /** Text received since the reader last had nothing pending: where the pending head's start line is. */
  private pendingText = "";
  private closed = false;

  constructor(
    private readonly socket: Socket<unknown>,
    readonly server: ServerContext,
    private readonly sessionTimeout: number,
    private readonly log: ConnectionLog,
    limits: ServerLimits,
  ) {
    this.reader = new RtspReader<RtspRequest>("request", {
      maxHeaderBytes: limits.maxRequestBytes,
      maxHeaders: limits.maxHeaders,
      maxBodyBytes: limits.maxBodyBytes,
      maxUriBytes: limits.maxUriBytes,
    });
    this.rate = new RequestRate(limits.requestsPerSecond);
    this.writer = new ConnectionWriter(socket);
    this.localAddress = socket.localAddress;
    this.remoteAddress = socket.remoteAddress;
    this.peer = `${socket.remoteAddress}:${socket.remotePort}`;
  }


  receive(chunk: Uint8Array): void {
    if (this.closed) return;
    clearTimeout(this.quietTimer);
    this.pendingSince ??= performance.now();
    this.process(this.reader.push(chunk));
    this.pendingText = this.reader.pending ? (this.pendingText + textDecoder.decode(chunk)).slice(-PENDING_TEXT_LIMIT) : "";
    if (!this.reader.pending) this.pendingSince = undefined;
    if (this.reader.pending) {
      this.quietTimer = setTimeout(() => {
        this.pendingText = "";
        this.process(this.reader.flush());
      }, this.quietWindow());
    }
  }

  /** How long to wait for more of a pending head before taking it as a whole (blank-line-less) request. */
  private quietWindow(): number {
    if (this.labPeer) return LAB_QUIET_MS;
    const startLine = [...this.pendingText.matchAll(START_LINE)].at(-1);
    if (!startLine) return LAB_QUIET_MS;
    const [, uri, version] = startLine;
    return version === "RTSP/1.0" && ABSOLUTE_URL.test(uri) ? STANDARD_QUIET_MS : LAB_QUIET_MS;
  }

  drain(): void {
    this.writer.drain();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The peer went away: its sessions stop at once and cost nothing afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.quietTimer);
    for (const session of [...this.sessions.values()]) endSession(this, session, "client disconnected", false);
    this.writer.close();
  }

  /** A peer that broke a limit of the connection itself: told why (when it can be), then cut off. */
  drop(status: number, reason: string): void {
    if (this.closed) return;
    this.answerError({ type: "error", status, reason, fatal: true });
    this.close();
  }

  /** Server shutdown: sessions say goodbye, then the connection closes. */
  shutdown(): void {
    for (const session of [...this.sessions.values()]) endSession(this, session, "server stopping");
    this.socket.end();
    this.close();
  }

  private process(events: ReaderEvent<RtspRequest>[]): void {
    for (const event of events) {
      if (event.type === "interleaved") {
        const session = this.rtcpChannels.get(event.channel);
        if (session) this.server.rtcpReceived(session, event.payload);
      } else if (event.type === "error") {
        const notRtsp = ++this.consecutiveErrors >= MAX_CONSECUTIVE_ERRORS;
        // An oversized body is not read through just to find the request after it.
        const fatal = event.fatal || notRtsp || event.status === PAYLOAD_TOO_LARGE;
        this.enqueue(() => this.answerError({ ...event, fatal }));
      } else {
        this.consecutiveErrors = 0;
        const request = event.message;
        this.lastRequestAt = performance.now();
        if (this.rate.allow(this.lastRequestAt)) {
          this.enqueue(() => this.answer(request));
        } else {
          this.enqueue(() => this.refuse(request, errorReply(503, "too many requests on this connection: slow down")));
        }
      }
    }
  }

  /** Requests are answered one at a time, in order, even when one waits for a movie to open. */
  private enqueue(task: () => Promise<void> | void): void {
    this.pending = this.pending.then(task).catch((error) => {
      this.log.error(error);
    });
  }

  private async answer(request: RtspRequest): Promise<void> {
    if (this.closed) return;
    this.log.request(this, request);
    let reply: Reply;
    try {
      reply = await handleRequest(request, this);
    } catch (error) {
      this.log.error(error);
      reply = errorReply(500, error instanceof Error ? error.message : String(error));
    }
    this.send(request, reply);
  }

  private refuse(request: RtspRequest, reply: Reply): void {
    this.log.request(this, request);
    this.send(request, reply);
  }

  private send(request: RtspRequest, reply: Reply): void {
    if (this.closed) return;
    const lab = isLabRequest(request, reply.session);
    this.labPeer ||= lab;
    const cseq = getHeader(request.headers, "CSeq");
    const bytes = serializeReply(reply, { version: request.version, cseq, lab, sessionTimeout: this.sessionTimeout });
    this.writer.write(bytes);
    this.log.reply(this, reply, bytes);
    if (this.writer.queuedBytes > MAX_UNREAD_BYTES) {
      this.socket.end();
      this.close();
      return;
    }
    reply.afterWrite?.();
  }

  private answerError(event: Extract<ReaderEvent<RtspRequest>, { type: "error" }>): void {
    if (this.closed) return;
    this.lastRequestAt = performance.now();
    const reply = errorReply(event.status, event.reason);
    const bytes = serializeReply(reply, { version: "RTSP/1.0", cseq: event.cseq, lab: this.labPeer, sessionTimeout: this.sessionTimeout });
    this.writer.write(bytes);
    this.log.reply(this, reply, bytes);
    if (event.fatal) {
      this.socket.end();
      this.close();
    }
  }
}
