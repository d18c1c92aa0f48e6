// A standard RTSP server written as raw wire bytes: OPTIONS, DESCRIBE (SDP with Content-Base and a=control), SETUP over
// UDP or TCP interleaved, PLAY (from a Range start, or on from a PAUSE) with Range and RTP-Info, RFC 2435 packets (one
// frame every 10 ms, sequence numbers running on across plays), RTCP SR and BYE at the end, PAUSE, TEARDOWN. Switches
// let a test refuse UDP (461), swallow UDP media, reorder and duplicate packets, send a frame's packet at once with
// the PLAY or PAUSE reply, or name an RTCP source the client cannot send to.
import type { Socket, TCPSocketListener, udp } from "bun";
import { packetizeJpeg } from "../../lib/rtp/jpeg-packetizer.ts";
import { encodeRtcp, ntpFromUnixMs } from "../../lib/rtp/rtcp.ts";
import { encodeRtp, RTP_HEADER_BYTES } from "../../lib/rtp/packet.ts";

export interface FakeServerOptions {
  frames: Uint8Array[];
  /** Answer UDP SETUP with 461 Unsupported Transport. */
  refuseUdp?: boolean;
  /** Accept UDP SETUP but never deliver a datagram (a firewall between us). */
  swallowUdp?: boolean;
  /** Over UDP, send the second and third packets swapped and the first one twice. */
  shuffleUdp?: boolean;
  /** Announced in `Session: id;timeout=N`; default 60. */
  sessionTimeout?: number;
  /** Time between frames; default 10 ms. */
  frameIntervalMs?: number;
  /**
   * Send the first frame's first packet at once with the PLAY reply, the rest of the frame when the others go: over TCP
   * in the reply's own write (so the client reads both in one chunk), over UDP just ahead of it.
   */
  firstPacketWithReply?: boolean;
  /** Send one more frame with the PAUSE reply, the same way: a frame still on its way when the pause takes effect. */
  frameWithPauseReply?: boolean;
  /** A `source=` parameter for the UDP SETUP reply: where the client is to send its RTCP. */
  transportSource?: string;
}

export interface FakeServer {
  port: number;
  /** Request lines and headers as received, one string per request. */
  requests: string[];
  stop(): void;
}

const SSRC = 0x1234abcd;
const FIRST_SEQUENCE = 1000;
const FIRST_RTPTIME = 5000;
const TICKS_PER_FRAME = 90000 / 20;

interface Connection {
  buffer: string;
  timer?: ReturnType<typeof setTimeout>;
  udpTarget?: { rtp: number; rtcp: number };
  interleaved?: [number, number];
  /** While set, writes to the socket are collected here and go out later as one write. */
  corked?: Uint8Array[];
  /** A sender's running state: the next sequence number and frame index, what has gone out, what is left to play. */
  sequence: number;
  position: number;
  packetsSent: number;
  octetsSent: number;
  /** Each frame's RTP packets, ready to send. */
  queued: Uint8Array[][];
  /** shuffleUdp: the network delivers this packet twice (the sender counts it once). */
  duplicate?: Uint8Array;
}

export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const requests: string[] = [];
  const udpSocket: udp.Socket<"buffer"> = await Bun.udpSocket({});
  const connections = new Set<Socket<Connection>>();
  let port = 0;
  const base = () => `rtsp://127.0.0.1:${port}/movie.Mjpeg/`;

  const sdp = [
    "v=0",
    "o=- 1 1 IN IP4 127.0.0.1",
    "s=movie.Mjpeg",
    "c=IN IP4 0.0.0.0",
    "t=0 0",
    `a=range:npt=0-${options.frames.length / 20}`,
    "m=video 0 RTP/AVP 26",
    "a=rtpmap:26 JPEG/90000",
    "a=framerate:20",
    "a=control:trackID=0",
    "",
  ].join("\r\n");

  const write = (socket: Socket<Connection>, bytes: Uint8Array) => {
    if (socket.data.corked) socket.data.corked.push(bytes);
    else socket.write(bytes);
  };

  const deliver = (socket: Socket<Connection>, packet: Uint8Array, rtcp: boolean) => {
    const state = socket.data;
    if (state.interleaved) {
      const frame = new Uint8Array(4 + packet.length);
      frame.set([0x24, state.interleaved[rtcp ? 1 : 0], packet.length >> 8, packet.length & 0xff]);
      frame.set(packet, 4);
      write(socket, frame);
    } else if (state.udpTarget && !options.swallowUdp) {
      udpSocket.send(packet, rtcp ? state.udpTarget.rtcp : state.udpTarget.rtp, "127.0.0.1");
    }
  };

  /** Packetizes the frames from `state.position` on, numbered from `state.sequence`. */
  const queueFrames = (state: Connection) => {
    let sequence = state.sequence;
    state.queued = options.frames.slice(state.position).map((frame, i) => {
      const payloads = packetizeJpeg(frame);
      const timestamp = FIRST_RTPTIME + (state.position + i) * TICKS_PER_FRAME;
      return payloads.map((payload, j) =>
        encodeRtp({ marker: j === payloads.length - 1, payloadType: 26, sequenceNumber: sequence++ & 0xffff, timestamp, ssrc: SSRC }, payload),
      );
    });
    if (options.shuffleUdp && !state.interleaved && state.packetsSent === 0) {
      const [p0, p1, p2] = state.queued.flat();
      const moved = new Set([p1, p2]);
      state.queued = state.queued.map((packets) => packets.filter((packet) => !moved.has(packet)));
      state.queued[0] = [p0, p2, p1, ...state.queued[0].slice(1)];
      state.duplicate = p0;
    }
  };

  const sendPacket = (socket: Socket<Connection>, packet: Uint8Array) => {
    const state = socket.data;
    deliver(socket, packet, false);
    if (packet === state.duplicate) deliver(socket, packet, false);
    state.sequence = (((packet[2] << 8) | packet[3]) + 1) & 0xffff;
    state.packetsSent++;
    state.octetsSent += packet.length - RTP_HEADER_BYTES;
  };

  const sendNextFrame = (socket: Socket<Connection>) => {
    for (const packet of socket.data.queued.shift()!) sendPacket(socket, packet);
    socket.data.position++;
  };

  const stream = (socket: Socket<Connection>, firstPacketNow: boolean) => {
    const state = socket.data;
    const next = () => {
      if (state.queued.length > 0) {
        sendNextFrame(socket);
        state.timer = setTimeout(next, options.frameIntervalMs ?? 10);
        return;
      }
      const report = encodeRtcp([
        { type: "sr", ssrc: SSRC, ntpTime: ntpFromUnixMs(Date.now()), rtpTime: FIRST_RTPTIME, packetCount: state.packetsSent, octetCount: state.octetsSent, reports: [] },
        { type: "bye", ssrcs: [SSRC] },
      ]);
      deliver(socket, report, true);
    };
    if (firstPacketNow) sendPacket(socket, state.queued[0].shift()!);
    state.timer = setTimeout(next, 10);
  };

  /** Runs `send` with the socket's writes collected into one (when `together`), so the peer reads them in one chunk. */
  const inOneWrite = (socket: Socket<Connection>, together: boolean, send: () => void) => {
    if (together) socket.data.corked = [];
    send();
    const corked = socket.data.corked;
    socket.data.corked = undefined;
    if (corked) socket.write(Buffer.concat(corked));
  };

  const answer = (socket: Socket<Connection>, request: string) => {
    requests.push(request);
    const [requestLine, ...lines] = request.split("\r\n");
    const method = requestLine.split(" ")[0];
    const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim();
    const cseq = header("CSeq") ?? "0";
    const reply = (status: string, headers: string[] = [], body = "") => {
      const length = body ? [`Content-Length: ${Buffer.byteLength(body)}`] : [];
      write(socket, new TextEncoder().encode(`RTSP/1.0 ${status}\r\nCSeq: ${cseq}\r\n${[...headers, ...length].map((h) => `${h}\r\n`).join("")}\r\n${body}`));
    };
    const session = `Session: 5f3a;timeout=${options.sessionTimeout ?? 60}`;
    switch (method) {
      case "OPTIONS":
        return reply("200 OK", ["Public: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER"]);
      case "DESCRIBE":
        return reply("200 OK", [`Content-Base: ${base()}`, "Content-Type: application/sdp"], sdp);
      case "SETUP": {
        const transport = header("Transport") ?? "";
        const interleaved = /interleaved=(\d+)-(\d+)/.exec(transport);
        if (interleaved) {
          socket.data.interleaved = [Number(interleaved[1]), Number(interleaved[2])];
          return reply("200 OK", [`Transport: RTP/AVP/TCP;unicast;interleaved=${interleaved[1]}-${interleaved[2]};ssrc=${SSRC.toString(16)}`, session]);
        }
        if (options.refuseUdp) return reply("461 Unsupported Transport");
        const ports = /client_port=(\d+)-(\d+)/.exec(transport);
        if (!ports) return reply("400 Bad Request");
        socket.data.udpTarget = { rtp: Number(ports[1]), rtcp: Number(ports[2]) };
        const source = options.transportSource === undefined ? "" : `;source=${options.transportSource}`;
        return reply("200 OK", [
          `Transport: RTP/AVP;unicast;client_port=${ports[1]}-${ports[2]};server_port=${udpSocket.port}-${udpSocket.port + 1}${source}`,
          session,
        ]);
      }
      case "PLAY": {
        const state = socket.data;
        clearTimeout(state.timer);
        const start = /npt=([\d.]+)-/.exec(header("Range") ?? "");
        if (start) state.position = Math.min(options.frames.length, Math.round(Number(start[1]) * 20));
        queueFrames(state);
        const rtpTime = FIRST_RTPTIME + state.position * TICKS_PER_FRAME;
        const headers = [session, `Range: npt=${(state.position / 20).toFixed(3)}-`, `RTP-Info: url=${base()}trackID=0;seq=${state.sequence};rtptime=${rtpTime}`];
        const firstPacketNow = options.firstPacketWithReply ?? false;
        inOneWrite(socket, firstPacketNow, () => {
          reply("200 OK", headers);
          stream(socket, firstPacketNow);
        });
        return;
      }
      case "PAUSE": {
        clearTimeout(socket.data.timer);
        const oneMore = (options.frameWithPauseReply ?? false) && socket.data.queued.length > 0;
        inOneWrite(socket, oneMore, () => {
          if (oneMore) sendNextFrame(socket);
          reply("200 OK", [session]);
        });
        return;
      }
      case "TEARDOWN":
        clearTimeout(socket.data.timer);
        socket.data.interleaved = undefined;
        socket.data.udpTarget = undefined;
        socket.data.position = 0;
        return reply("200 OK", [session]);
      default:
        return reply("200 OK", [session]);
    }
  };

  const listener: TCPSocketListener<Connection> = Bun.listen<Connection>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        socket.data = { buffer: "", sequence: FIRST_SEQUENCE, position: 0, packetsSent: 0, octetsSent: 0, queued: [] };
        connections.add(socket);
      },
      data(socket, bytes) {
        socket.data.buffer += new TextDecoder().decode(bytes);
        for (;;) {
          const end = socket.data.buffer.indexOf("\r\n\r\n");
          if (end < 0) break;
          const request = socket.data.buffer.slice(0, end);
          socket.data.buffer = socket.data.buffer.slice(end + 4);
          answer(socket, request);
        }
      },
      close(socket) {
        clearTimeout(socket.data.timer);
        connections.delete(socket);
      },
    },
  });
  port = listener.port;

  return {
    port,
    requests,
    stop() {
      for (const socket of connections) clearTimeout(socket.data.timer);
      listener.stop(true);
      udpSocket.close();
    },
  };
}
