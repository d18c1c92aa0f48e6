// The bench's kernel-stamped receive sockets: every datagram reaches its handler, in order, with its first bytes
// and the time the kernel received it, however long the reading waited; the rest of the datagram is not kept.
import { afterEach, describe, expect, test } from "bun:test";
import type { udp } from "bun";
import { HEAD_BYTES, KernelStampedSockets } from "../../lib/bench/kernel-stamped-sockets.ts";
import type { ReceiveSocket } from "../../lib/bench/udp-ports.ts";

const LOOPBACK = "127.0.0.1";
/** Long enough that the drain timer never runs during a test: each test drains when it chooses. */
const NO_POLL_MS = 60_000;

let sender: udp.Socket<"buffer"> | undefined;
let opened: ReceiveSocket[] = [];
afterEach(() => {
  sender?.close();
  sender = undefined;
  for (const socket of opened) socket.close();
  opened = [];
});

async function send(port: number, datagrams: Uint8Array[], host = LOOPBACK): Promise<void> {
  sender ??= await Bun.udpSocket({ hostname: host });
  for (const datagram of datagrams) sender.send(datagram, port, host);
}

/** Received (copies of) heads and arrival times of one socket. */
function bindRecording(sockets: KernelStampedSockets, port = 0, host = LOOPBACK) {
  const heads: number[][] = [];
  const arrivals: number[] = [];
  const socket = sockets.bind(host, port, (head, arrivalMs) => {
    heads.push([...head]);
    arrivals.push(arrivalMs);
  });
  opened.push(socket);
  return { socket, heads, arrivals };
}

/** Drains until `count` datagrams have been handed over or a second has gone by (the kernel queues them at once over loopback). */
async function drainUntil(sockets: KernelStampedSockets, done: () => boolean): Promise<void> {
  for (let waited = 0; waited < 1000 && !done(); waited += 5) {
    sockets.drain();
    if (!done()) await Bun.sleep(5);
  }
}

function datagram(index: number, length: number): Uint8Array {
  return new Uint8Array(length).map((_, i) => (index + i) & 0xff);
}

describe.skipIf(!KernelStampedSockets.supported)("KernelStampedSockets", () => {
  test("each datagram's first bytes, in order; a short one keeps its length", async () => {
    const sockets = new KernelStampedSockets(NO_POLL_MS);
    const { socket, heads } = bindRecording(sockets);
    const sent = [datagram(1, 1400), datagram(2, 12), datagram(3, HEAD_BYTES), datagram(4, 3), datagram(5, 600)];
    await send(socket.port, sent);
    await drainUntil(sockets, () => heads.length === sent.length);
    expect(heads).toEqual(sent.map((bytes) => [...bytes.subarray(0, HEAD_BYTES)]));
  });

  test("the arrival time is the kernel's, not the reading's", async () => {
    const sockets = new KernelStampedSockets(NO_POLL_MS);
    const { socket, arrivals } = bindRecording(sockets);
    sender = await Bun.udpSocket({ hostname: LOOPBACK });
    const before = performance.now();
    sender.send(datagram(0, 100), socket.port, LOOPBACK);
    const after = performance.now();
    await Bun.sleep(40);
    const readAt = performance.now();
    await drainUntil(sockets, () => arrivals.length === 1);
    // Over loopback the kernel queues the datagram inside send(); 1 ms covers the two clocks' conversion.
    expect(arrivals[0]).toBeGreaterThan(before - 1);
    expect(arrivals[0]).toBeLessThan(after + 1);
    expect(readAt - arrivals[0]).toBeGreaterThan(30);
  });

  test("more datagrams than one read takes, on more sockets than one wait reports", async () => {
    const sockets = new KernelStampedSockets(NO_POLL_MS);
    const busy = bindRecording(sockets);
    const many = Array.from({ length: 300 }, () => bindRecording(sockets));
    const burst = Array.from({ length: 200 }, (_, i) => datagram(i, 20));
    await send(busy.socket.port, burst);
    for (const [i, { socket }] of many.entries()) await send(socket.port, [datagram(i, 20)]);
    await drainUntil(sockets, () => busy.heads.length === burst.length && many.every(({ heads }) => heads.length === 1));
    expect(busy.heads).toEqual(burst.map((bytes) => [...bytes.subarray(0, HEAD_BYTES)]));
    expect(many.map(({ heads }) => heads[0][0])).toEqual(many.map((_, i) => i & 0xff));
  });

  test("the poll timer hands datagrams over without a drain call", async () => {
    const sockets = new KernelStampedSockets(5);
    const { socket, heads } = bindRecording(sockets);
    await send(socket.port, [datagram(7, 40)]);
    for (let waited = 0; heads.length === 0 && waited < 1000; waited += 5) await Bun.sleep(5);
    expect(heads).toHaveLength(1);
  });

  test("a socket closed by its handler gets nothing more, and its port is free again", async () => {
    const sockets = new KernelStampedSockets(NO_POLL_MS);
    let calls = 0;
    const socket = sockets.bind(LOOPBACK, 0, () => {
      calls++;
      socket.close();
    });
    await send(socket.port, [datagram(1, 20), datagram(2, 20), datagram(3, 20)]);
    await drainUntil(sockets, () => calls > 0);
    sockets.drain();
    expect(calls).toBe(1);
    const again = bindRecording(sockets, socket.port);
    expect(again.socket.port).toBe(socket.port);
  });

  test("a taken port is EADDRINUSE; a host name is refused", () => {
    const sockets = new KernelStampedSockets(NO_POLL_MS);
    const { socket } = bindRecording(sockets);
    expect(() => sockets.bind(LOOPBACK, socket.port, () => {})).toThrow(expect.objectContaining({ code: "EADDRINUSE" }));
    expect(() => sockets.bind("localhost", 0, () => {})).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });

  test("nextArrival: the kernel's time of a paused Bun TCP socket's next bytes, which stay for Bun to read", async () => {
    const sockets = new KernelStampedSockets(5);
    let writtenAt = [0, 0];
    const listener = Bun.listen({
      hostname: LOOPBACK,
      port: 0,
      socket: {
        open(server) {
          setTimeout(() => {
            const before = performance.now();
            server.write("RTSP/1.0 200 OK\r\n\r\n");
            writtenAt = [before, performance.now()];
          }, 40);
        },
        data() {},
      },
    });
    const received: string[] = [];
    const client = await Bun.connect({ hostname: LOOPBACK, port: listener.port, socket: { data: (_socket, chunk) => void received.push(chunk.toString()) } });
    try {
      client.pause();
      const arrivalMs = await sockets.nextArrival((client as unknown as { fd: number }).fd, 2000);
      expect(received).toEqual([]);
      expect(arrivalMs).toBeDefined();
      expect(arrivalMs!).toBeGreaterThan(writtenAt[0] - 1);
      expect(arrivalMs!).toBeLessThan(writtenAt[1] + 1);
      client.resume();
      for (let waited = 0; received.length === 0 && waited < 1000; waited += 5) await Bun.sleep(5);
      expect(received.join("")).toBe("RTSP/1.0 200 OK\r\n\r\n");
    } finally {
      client.end();
      listener.stop(true);
    }
  });

  test("nextArrival gives up after its timeout when nothing comes", async () => {
    const sockets = new KernelStampedSockets(5);
    const listener = Bun.listen({ hostname: LOOPBACK, port: 0, socket: { data() {} } });
    const client = await Bun.connect({ hostname: LOOPBACK, port: listener.port, socket: { data() {} } });
    try {
      client.pause();
      expect(await sockets.nextArrival((client as unknown as { fd: number }).fd, 30)).toBeUndefined();
    } finally {
      client.end();
      listener.stop(true);
    }
  });

  test("IPv6", async () => {
    const sockets = new KernelStampedSockets(NO_POLL_MS);
    const { socket, heads } = bindRecording(sockets, 0, "::1");
    await send(socket.port, [datagram(9, 30)], "::1");
    await drainUntil(sockets, () => heads.length === 1);
    expect(heads[0][0]).toBe(9);
  });
});
