// A measuring client against a stand-in of the lab's Python server: replies with no blank line, the client port
// read as the 4th word of the Transport line, one datagram per frame with the frame number as sequence number.
import { afterEach, expect, test } from "bun:test";
import { ProbeStream } from "../../lib/bench/probe-stream.ts";
import { KernelStampedSockets } from "../../lib/bench/kernel-stamped-sockets.ts";
import { UdpPortAllocator, type ArrivalClock } from "../../lib/bench/udp-ports.ts";

const SENT_FRAMES = [1, 2, 4, 5]; // frame 3 is "lost"

let stopServer: (() => void) | undefined;
afterEach(() => stopServer?.());

async function startLabStandIn(host = "127.0.0.1"): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const sender = await Bun.udpSocket({ hostname: host });
  let clientPort = 0;
  const listener = Bun.listen({
    hostname: host,
    port: 0,
    socket: {
      data(socket, chunk) {
        const text = chunk.toString();
        requests.push(text);
        const lines = text.split("\n");
        const [method] = lines[0].split(" ");
        const cseq = lines[1].split(" ")[1];
        if (method === "SETUP") clientPort = Number(lines[2].split(" ")[3]);
        socket.write(`RTSP/1.0 200 OK\nCSeq: ${cseq}\nSession: 123456`);
        if (method === "PLAY") {
          for (const frame of SENT_FRAMES) {
            const datagram = new Uint8Array(12 + 4);
            datagram.set([0x80, 26, frame >> 8, frame & 0xff]);
            sender.send(datagram, clientPort, host);
          }
        }
      },
    },
  });
  stopServer = () => {
    listener.stop(true);
    sender.close();
  };
  return { port: listener.port, requests };
}

const clocks: ArrivalClock[] = KernelStampedSockets.supported ? ["kernel", "callback"] : ["callback"];
const cases = clocks.flatMap((clock) => [
  ["127.0.0.1", "127.0.0.1", clock],
  ["::1", "[::1]", clock],
]);

test.each(cases)("lab dialect on %s (%s clock): SETUP/PLAY as the lab writes them, one frame per datagram, numbered by sequence", async (host, urlHost, clock) => {
  const { port, requests } = await startLabStandIn(host);
  const stream = await ProbeStream.play({
    url: `rtsp://${urlHost}:${port}/movie.Mjpeg`,
    dialect: "lab",
    transport: "udp",
    ports: new UdpPortAllocator(46000, clock as ArrivalClock),
  });
  for (let waited = 0; stream.arrivals.length < SENT_FRAMES.length && waited < 2000; waited += 10) await Bun.sleep(10);
  await stream.close();

  expect(requests[0]).toMatch(/^SETUP movie\.Mjpeg RTSP\/1\.0\nCSeq: 1\nTransport: RTP\/UDP; client_port= \d+/);
  expect(requests[1]).toMatch(/^PLAY movie\.Mjpeg RTSP\/1\.0\nCSeq: 2\nSession: 123456/);
  expect(requests[2]).toMatch(/^TEARDOWN movie\.Mjpeg RTSP\/1\.0\nCSeq: 3\nSession: 123456/);
  expect(stream.arrivals.between().map((frame) => frame.number)).toEqual(SENT_FRAMES);
  expect(stream.packets).toBe(SENT_FRAMES.length);
  // The stand-in sends the frames right behind its reply: on one clock, the first arrives after it.
  expect(stream.playReplyArrivalMs).not.toBeNull();
  expect(stream.playReplyArrivalMs!).toBeLessThanOrEqual(stream.playReplyMs!);
  expect(stream.firstFrameAfterPlayMs).toBeGreaterThanOrEqual(0);
});

test("a refused SETUP is an error naming the method and status", async () => {
  const listener = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket, chunk) {
        socket.write(`RTSP/1.0 404 Not Found\r\nCSeq: ${/CSeq: (\d+)/.exec(chunk.toString())![1]}\r\n\r\n`);
      },
    },
  });
  stopServer = () => listener.stop(true);
  const opening = ProbeStream.play({
    url: `rtsp://127.0.0.1:${listener.port}/missing.Mjpeg`,
    dialect: "lab",
    transport: "udp",
    ports: new UdpPortAllocator(46100),
  });
  await expect(opening).rejects.toThrow("SETUP: 404 Not Found");
});
