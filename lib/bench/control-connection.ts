// One RTSP control connection of a measuring client: one request in flight at a time, replies timed on arrival.
import type { Socket } from "bun";
import { serializeRequest, type HeaderList, type RtspResponse } from "../rtsp/message.ts";
import { RtspReader } from "../rtsp/reader.ts";
import type { Family } from "../client/udp-sockets.ts";

/** Which wire the measuring clients speak: the lab's (SETUP/PLAY, one datagram per frame) or RFC 2326. */
export type BenchDialect = "lab" | "rtsp";

export interface TimedResponse {
  response: RtspResponse;
  /** performance.now() when the bytes that completed the reply arrived. */
  arrivalMs: number;
}

/** The kernel's arrival time of the next bytes on a socket descriptor (KernelStampedSockets.nextArrival). */
export type ArrivalStamper = (fd: number) => Promise<number | undefined>;

/** The lab server ends replies without a blank line: a reply still pending after this much quiet is taken as whole. */
const LAB_REPLY_QUIET_MS = 30;

interface Pending {
  resolve(reply: TimedResponse): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class ControlConnection {
  private readonly reader = new RtspReader<RtspResponse>("response");
  private socket: Socket<undefined> | undefined;
  private pending: Pending | undefined;
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  private lastChunkMs = 0;
  private cseq = 0;
  private unsent: Uint8Array | undefined;
  private closed = false;

  private constructor(
    private readonly dialect: BenchDialect,
    /** Receives RFC 2326 §10.12 interleaved packets (TCP transport) with their arrival time. */
    private readonly onInterleaved: (channel: number, payload: Uint8Array, arrivalMs: number) => void,
  ) {}

  static async open(
    host: string,
    port: number,
    dialect: BenchDialect,
    onInterleaved: (channel: number, payload: Uint8Array, arrivalMs: number) => void = () => {},
  ): Promise<ControlConnection> {
    const connection = new ControlConnection(dialect, onInterleaved);
    try {
      connection.socket = await Bun.connect({
        hostname: host,
        port,
        socket: {
          data: (_socket, chunk) => connection.receive(chunk),
          drain: (socket) => connection.flushUnsent(socket),
          close: () => connection.fail(new Error("server closed the RTSP connection")),
          error: (_socket, error) => connection.fail(error),
        },
      });
    } catch (error) {
      throw new Error(`cannot connect to ${host}:${port}: ${(error as Error).message}`);
    }
    return connection;
  }

  /** The address family of the connection; the server sends RTP/UDP back to the same address. */
  get family(): Family {
    return this.socket?.localFamily ?? "IPv4";
  }

  /** Sends one request (CSeq first, as the lab server expects) and resolves with its reply. */
  request(method: string, uri: string, headers: HeaderList = [], timeoutMs = 10_000): Promise<TimedResponse> {
    if (this.closed || !this.socket) return Promise.reject(new Error(`${method}: RTSP connection is closed`));
    if (this.pending) return Promise.reject(new Error(`${method}: another request is still in flight`));
    this.cseq++;
    const bytes = serializeRequest(
      { method, uri, version: "RTSP/1.0", headers: [["CSeq", String(this.cseq)], ...headers], body: new Uint8Array() },
      { lineEnding: this.dialect === "lab" ? "\n" : "\r\n" },
    );
    return new Promise<TimedResponse>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(new Error(`${method}: no reply within ${timeoutMs} ms`)), timeoutMs);
      this.pending = { resolve, reject, timer };
      this.write(bytes);
    });
  }

  /**
   * `request`, with the reply's kernel arrival time as well (undefined when it cannot be read). Bun's reading is paused
   * from before the request leaves until `stamp` has peeked at the reply, so the reply is still queued in the kernel
   * when its time is read. Uses the descriptor Bun's TCP sockets carry (`fd`, not in Bun's types): without one, no time.
   */
  async requestWithArrival(method: string, uri: string, headers: HeaderList, stamp: ArrivalStamper): Promise<TimedResponse & { kernelArrivalMs?: number }> {
    const socket = this.socket;
    const fd = (socket as { fd?: unknown } | undefined)?.fd;
    if (!socket || typeof fd !== "number" || fd < 0) return this.request(method, uri, headers);
    socket.pause();
    const reply = this.request(method, uri, headers);
    reply.catch(() => {}); // awaited below; this only keeps a rejection during the stamp from counting as unhandled
    let kernelArrivalMs: number | undefined;
    try {
      kernelArrivalMs = await stamp(fd);
    } finally {
      socket.resume();
    }
    return { ...(await reply), kernelArrivalMs };
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.quietTimer);
    this.socket?.end();
  }

  private write(bytes: Uint8Array): void {
    const socket = this.socket!;
    const written = socket.write(bytes);
    if (written < bytes.length) this.unsent = bytes.subarray(Math.max(0, written));
  }

  private flushUnsent(socket: Socket<undefined>): void {
    if (!this.unsent) return;
    const rest = this.unsent;
    this.unsent = undefined;
    const written = socket.write(rest);
    if (written < rest.length) this.unsent = rest.subarray(Math.max(0, written));
  }

  private receive(chunk: Uint8Array): void {
    this.lastChunkMs = performance.now();
    clearTimeout(this.quietTimer);
    for (const event of this.reader.push(chunk)) {
      if (event.type === "interleaved") this.onInterleaved(event.channel, event.payload, this.lastChunkMs);
      else if (event.type === "message") this.settle({ response: event.message, arrivalMs: this.lastChunkMs });
      else if (event.fatal) this.fail(new Error(`unreadable RTSP reply: ${event.reason}`));
    }
    if (this.dialect === "lab" && this.reader.pending && this.pending) {
      this.quietTimer = setTimeout(() => {
        for (const event of this.reader.flush()) {
          if (event.type === "message") this.settle({ response: event.message, arrivalMs: this.lastChunkMs });
        }
      }, LAB_REPLY_QUIET_MS);
    }
  }

  private settle(outcome: TimedResponse | Error): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  private fail(error: Error): void {
    this.closed = true;
    this.settle(error);
  }
}
