// The reference peers in test/peers/ start, announce themselves, and stream what a measuring client can count:
// GStreamer's rtsp-server over the standard path, the classic lab server over the lab dialect.
import { afterEach, expect, test } from "bun:test";
import { resolve } from "node:path";
import type { Subprocess } from "bun";
import { freeTcpPort } from "../../lib/bench/loopback-listener.ts";
import { ProbeStream } from "../../lib/bench/probe-stream.ts";
import { UdpPortAllocator } from "../../lib/bench/udp-ports.ts";

const PEERS = resolve(import.meta.dir, "../peers");
const MOVIE = resolve(import.meta.dir, "../../media/movie.Mjpeg");

let peer: Subprocess<"ignore", "pipe", "pipe"> | undefined;
afterEach(async () => {
  peer?.kill("SIGTERM");
  await peer?.exited;
  peer = undefined;
});

/** Starts a peer script and resolves with the URL from its `ready rtsp://...` line. */
async function startPeer(script: string, args: string[]): Promise<string> {
  peer = Bun.spawn(["/usr/bin/python3", resolve(PEERS, script), ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const reader = peer.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`${script} exited before its ready line: ${await new Response(peer.stderr).text()}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const match = /^ready (rtsp:\/\/\S+)$/m.exec(text);
  if (!match) throw new Error(`${script} printed ${JSON.stringify(text)} instead of its ready line`);
  return match[1];
}

async function framesAfter(stream: ProbeStream, count: number): Promise<void> {
  for (let waited = 0; stream.arrivals.length < count && waited < 5000; waited += 20) await Bun.sleep(20);
  await stream.close();
}

test(
  "gst-rtsp-server.py --testsrc: DESCRIBE/SETUP/PLAY over UDP, frames numbered from the RTP timestamps",
  async () => {
    const port = await freeTcpPort();
    const url = await startPeer("gst-rtsp-server.py", ["--testsrc", "--port", String(port), "--path", "/test"]);
    expect(url).toBe(`rtsp://127.0.0.1:${port}/test`);
    const stream = await ProbeStream.play({ url, dialect: "rtsp", transport: "udp", ports: new UdpPortAllocator(47400) });
    await framesAfter(stream, 10);
    expect(stream.periodMs).toBe(50);
    expect(stream.arrivals.length).toBeGreaterThanOrEqual(10);
    const numbers = stream.arrivals.between().map((frame) => frame.number);
    expect(numbers.slice(1).every((number, i) => number > numbers[i])).toBe(true);
  },
  20_000,
);

test(
  "gst-rtsp-server.py MOVIE: the lab movie's frames over TCP interleaved",
  async () => {
    const port = await freeTcpPort();
    const url = await startPeer("gst-rtsp-server.py", ["--port", String(port), MOVIE]);
    expect(url).toBe(`rtsp://127.0.0.1:${port}/movie.Mjpeg`);
    const stream = await ProbeStream.play({ url, dialect: "rtsp", transport: "tcp", ports: new UdpPortAllocator(47500) });
    await framesAfter(stream, 10);
    expect(stream.arrivals.between().map((frame) => frame.number).slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  },
  20_000,
);

test(
  "lab-server.py: the lab dialect, one datagram per frame, sequence number = frame number",
  async () => {
    const port = await freeTcpPort();
    const url = await startPeer("lab-server.py", ["--port", String(port), MOVIE]);
    expect(url).toBe(`rtsp://127.0.0.1:${port}/movie.Mjpeg`);
    const stream = await ProbeStream.play({ url, dialect: "lab", transport: "udp", ports: new UdpPortAllocator(47600) });
    await framesAfter(stream, 5);
    expect(stream.arrivals.between().map((frame) => frame.number).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(stream.packets).toBe(stream.arrivals.length);
  },
  20_000,
);
