// A stand-in for the classic lab's Python ServerWorker, byte for byte where the client can tell: one request per TCP
// read, parsed by line position; replies `RTSP/1.0 200 OK\nCSeq: n\nSession: 123456` with no blank line; on PLAY one
// RTP datagram per frame (the whole JPEG, seq = frame number, timestamp = whole seconds) to `request[2].split(' ')[3]`,
// with the lab's naive 50 ms sleep between sends.
import type { Socket, TCPSocketListener, udp } from "bun";
import { encodeRtp } from "../../lib/rtp/packet.ts";

export interface LabServerOptions {
  frames: Uint8Array[];
  /** Add the RTSP/1.4 `Frames: <total>` line (the report's extension 4). */
  framesHeader?: boolean;
  /** Also answer the report's extension 4 methods: FORWARD / BACKWARD move 20 frames, RESTART goes to the start. */
  extension4?: boolean;
  /** Answer SETUP and PLAY but never send a datagram. */
  silent?: boolean;
  /** Close the RTSP connection after sending this many frames. */
  vanishAfter?: number;
}

export interface LabServer {
  port: number;
  /** Every request as received, one entry per TCP read. */
  requests: string[];
  stop(): void;
}

interface Worker {
  rtpPort?: number;
  timer?: ReturnType<typeof setTimeout>;
  frameNumber: number;
}

export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const requests: string[] = [];
  const rtpSocket: udp.Socket<"buffer"> = await Bun.udpSocket({});
  const workers = new Map<Socket<Worker>, Worker>();

  const sendNext = (socket: Socket<Worker>, worker: Worker) => {
    const data = options.frames[worker.frameNumber];
    if (!data) return;
    worker.frameNumber++;
    const header = { marker: false, payloadType: 26, sequenceNumber: worker.frameNumber, timestamp: Math.floor(Date.now() / 1000), ssrc: 0 };
    rtpSocket.send(encodeRtp(header, data), worker.rtpPort!, "127.0.0.1");
    if (options.vanishAfter !== undefined && worker.frameNumber >= options.vanishAfter) {
      socket.end();
      return;
    }
    worker.timer = setTimeout(() => sendNext(socket, worker), 50);
  };

  const listener: TCPSocketListener<Worker> = Bun.listen<Worker>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        socket.data = { frameNumber: 0 };
        workers.set(socket, socket.data);
      },
      data(socket, bytes) {
        const text = new TextDecoder().decode(bytes);
        requests.push(text);
        const request = text.split("\n");
        const requestType = request[0].split(" ")[0];
        const seq = request[1].split(" ");
        const worker = socket.data;
        const reply = () => {
          const frames = options.framesHeader ? `\nFrames: ${options.frames.length}` : "";
          socket.write(`RTSP/1.0 200 OK\nCSeq: ${seq[1]}\nSession: 123456${frames}`);
        };
        if (requestType === "SETUP") {
          worker.rtpPort = Number(request[2].split(" ")[3]);
          reply();
        } else if (requestType === "PLAY") {
          reply();
          if (!options.silent) worker.timer = setTimeout(() => sendNext(socket, worker), 50);
        } else if (options.extension4 && ["FORWARD", "BACKWARD", "RESTART"].includes(requestType)) {
          const moved = requestType === "FORWARD" ? worker.frameNumber + 20 : requestType === "BACKWARD" ? worker.frameNumber - 20 : 0;
          worker.frameNumber = Math.max(0, Math.min(options.frames.length, moved));
          reply();
        } else if (requestType === "PAUSE" || requestType === "TEARDOWN") {
          clearTimeout(worker.timer);
          reply();
        }
      },
      close(socket) {
        clearTimeout(socket.data.timer);
        workers.delete(socket);
      },
    },
  });

  return {
    port: listener.port,
    requests,
    stop() {
      for (const worker of workers.values()) clearTimeout(worker.timer);
      listener.stop(true);
      rtpSocket.close();
    },
  };
}
