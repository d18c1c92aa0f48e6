// One RTSP control connection: numbered requests, replies matched by CSeq, interleaved media handed to a callback.
// Requests go out one at a time: the lab's Python server reads one request per recv() and would merge pipelined ones.
import type { Socket } from "bun";
import { getHeader, serializeRequest, type HeaderList, type RtspResponse } from "../rtsp/message.ts";
import { RtspReader } from "../rtsp/reader.ts";
import { RequestAuthorizer } from "./request-authorizer.ts";
import type { Credentials } from "./rtsp-url.ts";
import { parseSessionHeader } from "../rtsp/session-header.ts";
import { ClientError, describeConnectFailure } from "./client-error.ts";
import type { Family } from "./udp-sockets.ts";

export interface ConnectionOptions {
  host: string;
  port: number;
  /** Lab dialect: `\n` line endings, no terminating blank line. */
  lab: boolean;
  replyTimeoutMs?: number;
  /** Silence after which buffered reply bytes are taken as one whole reply (lab replies have no blank line). */
  quietMs?: number;
  onInterleaved?: (channel: number, payload: Uint8Array) => void;
  /** The server closed or reset the connection while we did not ask for it. */
  onClose?: (error: ClientError) => void;
  /** Answer a 401 with these (Digest, or Basic when that is all the server offers). */
  credentials?: Credentials;
}

export interface RtspReply extends RtspResponse {
  /** True when the reply had no terminating blank line (a lab-style server) and was taken whole after silence. */
  unterminated: boolean;
  /** Local clock (performance.now()) when the reply's last byte arrived. */
  receivedAtMs: number;
}

export interface RequestOptions {
  version?: string;
  /** Overrides the connection's reply timeout for this request. */
  timeoutMs?: number;
}

interface PendingRequest {
  method: string;
  uri: string;
  resolve: (reply: RtspReply) => void;
  reject: (error: ClientError) => void;
  timer: ReturnType<typeof setTimeout>;
}

const DEFAULT_REPLY_TIMEOUT_MS = 5000;
const DEFAULT_QUIET_MS = 150;
const decoder = new TextDecoder();

export class RtspConnection {
  /** Session id (without `;timeout=`) from the last reply that carried one; sent on every later request. */
  session: string | undefined;
  /** The server's session timeout in seconds, when it announced one. */
  sessionTimeoutSeconds: number | undefined;

  private socket: Socket<undefined> | undefined;
  private readonly reader = new RtspReader<RtspResponse>("response");
  private nextCSeq = 1;
  private pending: PendingRequest | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  /** Lab replies: a message parsed at a blank line may still have a bodyless text block behind it (DESCRIBE). */
  private heldReply: RtspResponse | undefined;
  private rawSinceReply = "";
  private lastDataMs = 0;
  private outgoing: Uint8Array[] = [];
  private closedByUs = false;
  private closed = false;
  private readonly authorizer: RequestAuthorizer | undefined;

  private constructor(private readonly options: ConnectionOptions) {
    this.authorizer = options.credentials && new RequestAuthorizer(options.credentials);
  }

  static async open(options: ConnectionOptions): Promise<RtspConnection> {
    const connection = new RtspConnection(options);
    try {
      connection.socket = await Bun.connect({
        hostname: options.host,
        port: options.port,
        socket: {
          data: (_socket, data) => connection.onData(new Uint8Array(data)),
          drain: () => connection.flushOutgoing(),
          close: () => connection.onSocketClosed("server closed the connection"),
          end: () => connection.onSocketClosed("server closed the connection"),
          error: (_socket, error) => connection.onSocketClosed(`connection error: ${error.message}`),
        },
      });
    } catch (error) {
      throw describeConnectFailure(options.host, options.port, error);
    }
    return connection;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** The address family the connection runs over; the server sends RTP/UDP back to the same address. */
  get family(): Family {
    return this.socket?.localFamily ?? "IPv4";
  }

  /** Sends one request once every earlier one is answered; rejects with a ClientError on timeout or a closed connection. */
  request(method: string, uri: string, headers: HeaderList = [], options: RequestOptions = {}): Promise<RtspReply> {
    const run = () => this.sendAuthorized(method, uri, headers, options.version ?? "RTSP/1.0", options.timeoutMs ?? this.options.replyTimeoutMs);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** RFC 2326 §10.12 framing, for RTCP receiver reports over TCP. */
  sendInterleaved(channel: number, payload: Uint8Array): void {
    const frame = new Uint8Array(4 + payload.length);
    frame[0] = 0x24;
    frame[1] = channel;
    frame[2] = payload.length >>> 8;
    frame[3] = payload.length & 0xff;
    frame.set(payload, 4);
    this.write(frame);
  }

  close(): void {
    this.closedByUs = true;
    this.finish(new ClientError("server-gone", "connection closed"));
    this.socket?.end();
  }

  /** A 401 is answered once with the credentials (again later only when the server says the nonce went stale). */
  private async sendAuthorized(method: string, uri: string, headers: HeaderList, version: string, timeoutMs: number | undefined): Promise<RtspReply> {
    const authorizer = this.authorizer;
    const authorization = (): HeaderList => {
      const value = authorizer?.authorization(method, uri);
      return value === undefined ? headers : [...headers, ["Authorization", value]];
    };
    const reply = await this.send(method, uri, authorization(), version, timeoutMs);
    if (reply.status !== 401 || !authorizer?.accept(reply.headers)) return reply;
    return this.send(method, uri, authorization(), version, timeoutMs);
  }

  private send(method: string, uri: string, headers: HeaderList, version: string, replyTimeoutMs: number | undefined): Promise<RtspReply> {
    if (this.closed) return Promise.reject(new ClientError("server-gone", `cannot send ${method}: the connection is closed`));
    const cseq = this.nextCSeq++;
    const all: HeaderList = [["CSeq", String(cseq)]];
    if (this.session !== undefined && !headers.some(([name]) => name.toLowerCase() === "session")) all.push(["Session", this.session]);
    all.push(...headers);
    let bytes = serializeRequest({ method, uri, version, headers: all, body: new Uint8Array() }, { lineEnding: this.options.lab ? "\n" : "\r\n" });
    // The reference lab client ends its request right after the last header line: no newline, no blank line.
    if (this.options.lab) {
      let end = bytes.length;
      while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
      bytes = bytes.subarray(0, end);
    }
    return new Promise<RtspReply>((resolve, reject) => {
      const timeoutMs = replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new ClientError("timeout", `no reply to ${method} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending = { method, uri, resolve, reject, timer };
      this.write(bytes);
    });
  }

  private write(bytes: Uint8Array): void {
    if (!this.socket || this.closed) return;
    if (this.outgoing.length > 0) {
      this.outgoing.push(bytes);
      return;
    }
    const written = this.socket.write(bytes);
    if (written < bytes.length) this.outgoing.push(bytes.subarray(Math.max(0, written)));
  }

  private flushOutgoing(): void {
    while (this.socket && this.outgoing.length > 0) {
      const next = this.outgoing[0];
      const written = this.socket.write(next);
      if (written < next.length) {
        this.outgoing[0] = next.subarray(Math.max(0, written));
        return;
      }
      this.outgoing.shift();
    }
  }

  private onData(chunk: Uint8Array): void {
    this.lastDataMs = performance.now();
    if (this.options.lab) this.rawSinceReply += decoder.decode(chunk);
    for (const event of this.reader.push(chunk)) this.onEvent(event, false);
    clearTimeout(this.quietTimer);
    if (this.reader.pending || this.heldReply) {
      this.quietTimer = setTimeout(() => this.onQuiet(), this.options.quietMs ?? DEFAULT_QUIET_MS);
    }
  }

  private onQuiet(): void {
    const held = this.heldReply;
    const events = this.reader.flush();
    if (held) {
      this.heldReply = undefined;
      const text = this.rawSinceReply;
      const blank = text.indexOf("\n\n");
      const trailing = blank >= 0 ? text.slice(blank + 2) : "";
      const body = held.body.length === 0 && trailing.length > 0 ? new TextEncoder().encode(trailing) : held.body;
      this.deliver({ ...held, body }, false);
      return;
    }
    for (const event of events) this.onEvent(event, true);
  }

  private onEvent(event: ReturnType<RtspReader<RtspResponse>["push"]>[number], unterminated: boolean): void {
    switch (event.type) {
      case "interleaved":
        this.options.onInterleaved?.(event.channel, event.payload);
        return;
      case "message":
        if (this.options.lab && !unterminated && this.reader.pending) {
          this.heldReply = event.message;
          return;
        }
        this.deliver(event.message, unterminated);
        return;
      case "error":
        if (event.fatal) this.fail(new ClientError("protocol", `unreadable reply from the server: ${event.reason}`));
        return;
    }
  }

  private deliver(response: RtspResponse, unterminated: boolean): void {
    this.rawSinceReply = "";
    const pending = this.pending;
    if (!pending) return;
    const cseq = getHeader(response.headers, "CSeq");
    // A reply with another CSeq answers a request we gave up on; the lab server always echoes ours.
    if (cseq !== undefined && Number(cseq) !== this.nextCSeq - 1) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    const session = getHeader(response.headers, "Session");
    if (session !== undefined) this.rememberSession(session);
    pending.resolve({ ...response, unterminated, receivedAtMs: this.lastDataMs });
  }

  private rememberSession(value: string): void {
    try {
      const parsed = parseSessionHeader(value);
      this.session = parsed.id;
      if (parsed.timeout !== undefined) this.sessionTimeoutSeconds = parsed.timeout;
    } catch {
      // An odd Session header is still the id to echo back; only its parameters are lost.
      this.session = value.split(";")[0].trim();
    }
  }

  private onSocketClosed(reason: string): void {
    if (this.closed) return;
    if (this.closedByUs) {
      this.finish(new ClientError("server-gone", "connection closed"));
      return;
    }
    this.fail(new ClientError("server-gone", `${reason} (${this.options.host}:${this.options.port})`));
  }

  private fail(error: ClientError): void {
    if (this.closed) return;
    this.finish(error);
    this.socket?.end();
    this.options.onClose?.(error);
  }

  private finish(error: ClientError): void {
    if (this.closed) return;
    // A lab reply still waiting for silence is complete enough to hand over before we go.
    if (this.pending && (this.reader.pending || this.heldReply)) this.onQuiet();
    this.closed = true;
    clearTimeout(this.quietTimer);
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }
}
