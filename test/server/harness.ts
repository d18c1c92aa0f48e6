// Test peers for the server: a raw-bytes RTSP client (Bun.connect) that splits replies and interleaved frames,
// a UDP receiver, and a short generated movie served from a temporary folder.
import type { Socket } from "bun";
import { consola } from "consola";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Movie } from "../../lib/media/movie.ts";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import { startServer, type RtspServer, type ServerOptions } from "../../lib/server/server.ts";

const textDecoder = new TextDecoder();
const WAIT_MS = 3000;

export async function waitFor(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(2);
  }
}

export interface RawReply {
  /** The reply's text: status line, headers, blank line, body. */
  text: string;
  lines: string[];
  status: number;
  header(name: string): string | undefined;
  body: string;
}

function parseReply(text: string, body: string): RawReply {
  const head = text.slice(0, text.length - body.length);
  const lines = text.split("\n");
  const headerLines = head.split(/\r?\n/);
  return {
    text,
    lines,
    status: Number(lines[0].split(" ")[1]),
    header(name) {
      const line = headerLines.find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
      return line?.slice(name.length + 1).trim();
    },
    body,
  };
}

/** A client that writes exactly the bytes it is given and reads replies the way a lab client would. */
export class RawClient {
  readonly replies: RawReply[] = [];
  readonly interleaved: Array<{ channel: number; payload: Uint8Array }> = [];
  closed = false;
  private buffer = new Uint8Array(0);

  private constructor(private socket?: Socket<undefined>) {}

  static async connect(port: number): Promise<RawClient> {
    const client = new RawClient();
    client.socket = await Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        data: (_socket, data) => client.receive(data),
        close: () => {
          client.closed = true;
        },
      },
    });
    return client;
  }

  send(text: string | Uint8Array): void {
    this.socket!.write(text);
    this.socket!.flush();
  }

  /** Sends a request and returns the next reply. */
  async request(text: string): Promise<RawReply> {
    const count = this.replies.length;
    this.send(text);
    return this.reply(count);
  }

  async reply(index = this.replies.length): Promise<RawReply> {
    await waitFor(() => this.replies.length > index, `reply ${index + 1}`);
    return this.replies[index];
  }

  close(): void {
    this.socket?.end();
  }

  private receive(data: Uint8Array): void {
    const joined = new Uint8Array(this.buffer.length + data.length);
    joined.set(this.buffer);
    joined.set(data, this.buffer.length);
    this.buffer = joined;
    for (;;) {
      if (this.buffer.length === 0) return;
      if (this.buffer[0] === 0x24) {
        if (this.buffer.length < 4) return;
        const length = (this.buffer[2] << 8) | this.buffer[3];
        if (this.buffer.length < 4 + length) return;
        this.interleaved.push({ channel: this.buffer[1], payload: this.buffer.slice(4, 4 + length) });
        this.buffer = this.buffer.subarray(4 + length);
        continue;
      }
      const text = textDecoder.decode(this.buffer);
      const match = /\r?\n\r?\n/.exec(text);
      if (!match) return;
      const headEnd = match.index + match[0].length;
      const contentLength = Number(/^content-length:\s*(\d+)/im.exec(text.slice(0, headEnd))?.[1] ?? 0);
      const headBytes = new TextEncoder().encode(text.slice(0, headEnd)).length;
      if (this.buffer.length < headBytes + contentLength) return;
      const body = textDecoder.decode(this.buffer.subarray(headBytes, headBytes + contentLength));
      this.replies.push(parseReply(text.slice(0, headEnd) + body, body));
      this.buffer = this.buffer.subarray(headBytes + contentLength);
    }
  }
}

type UdpSocket = import("bun").udp.Socket<"uint8array">;

export class UdpReceiver {
  readonly packets: Uint8Array[] = [];
  /** performance.now() at each datagram's arrival, beside `packets`. */
  readonly arrivals: number[] = [];
  private socket?: UdpSocket;

  /** Binds `port` (0 = any); keeps a copy of every datagram sent to it. */
  static async open(port = 0): Promise<UdpReceiver> {
    const receiver = new UdpReceiver();
    receiver.socket = await Bun.udpSocket({
      hostname: "127.0.0.1",
      port,
      binaryType: "uint8array",
      socket: {
        data: (_socket, data) => {
          receiver.packets.push(data.slice());
          receiver.arrivals.push(performance.now());
        },
      },
    });
    return receiver;
  }

  get port(): number {
    return this.socket!.port;
  }

  close(): void {
    this.socket?.close();
  }
}

/** An even/odd pair of receivers, as a standard client binds for RTP and RTCP. */
export async function openReceiverPair(): Promise<[UdpReceiver, UdpReceiver]> {
  for (;;) {
    const rtp = await UdpReceiver.open();
    if (rtp.port % 2 === 0) {
      const rtcp = await UdpReceiver.open(rtp.port + 1).catch(() => undefined);
      if (rtcp) return [rtp, rtcp];
    }
    rtp.close();
  }
}

export interface TestServer {
  server: RtspServer;
  movie: Movie;
  folder: string;
  close(): Promise<void>;
}

/** A quiet server on a free loopback port, fast enough for tests: 100 fps, small packets. */
export function startQuietServer(root: string, options: Partial<ServerOptions> = {}): Promise<RtspServer> {
  consola.level = -999;
  return startServer({ root, port: 0, host: "127.0.0.1", fps: 100, maxPacket: 400, sessionTimeout: 60, verbose: false, ...options });
}

/** A server on a free port serving a short generated movie as `movie.Mjpeg` (fast fps keeps tests short). */
export async function startTestServer(options: Partial<ServerOptions> & { frames?: number } = {}): Promise<TestServer> {
  const folder = await mkdtemp(join(tmpdir(), "rtsp-server-"));
  const bytes = makeSampleMovie({ frames: options.frames ?? 40, width: 64, height: 48 });
  const path = join(folder, "movie.Mjpeg");
  await writeFile(path, bytes);
  const server = await startQuietServer(path, options);
  return {
    server,
    movie: Movie.fromBytes(bytes, "movie.Mjpeg"),
    folder,
    async close() {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
