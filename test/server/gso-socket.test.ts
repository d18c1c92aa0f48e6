// The libc UDP socket behind RTP over UDP: what a client receives must be exactly the datagrams given, in order,
// however they are grouped into GSO sends, and a kernel that refuses GSO must cost nothing but the speed-up.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { dlopen, FFIType, ptr } from "bun:ffi";
import type { udp } from "bun";
import { GsoSocket, gsoSupported } from "../../lib/server/gso-socket.ts";

const LOOPBACK = "127.0.0.1";

/** Datagrams of the given sizes, each filled with its index and viewed into one buffer with gaps, as shared packets are. */
function datagramsOf(sizes: number[]): Uint8Array[] {
  const gap = 4;
  const buffer = new ArrayBuffer(sizes.reduce((sum, size) => sum + gap + size, 0));
  let offset = 0;
  return sizes.map((size, index) => {
    const datagram = new Uint8Array(buffer, offset + gap, size).fill(index & 0xff);
    offset += gap + size;
    return datagram;
  });
}

/** A receiving socket that keeps what arrives. */
async function sink(hostname = LOOPBACK): Promise<{ socket: udp.Socket<"uint8array">; received: Uint8Array[]; settle(count: number): Promise<void> }> {
  const received: Uint8Array[] = [];
  const socket = await Bun.udpSocket({
    hostname,
    port: 0,
    binaryType: "uint8array",
    socket: { data: (_socket, data) => void received.push(data) },
  });
  return {
    socket,
    received,
    async settle(count) {
      for (let waited = 0; received.length < count && waited < 2000; waited += 5) await Bun.sleep(5);
    },
  };
}

describe.skipIf(!gsoSupported)("GsoSocket", () => {
  let receiver: Awaited<ReturnType<typeof sink>>;
  let socket: GsoSocket;
  beforeEach(async () => {
    receiver = await sink();
    socket = GsoSocket.open(LOOPBACK, 0, { address: LOOPBACK, port: receiver.socket.port });
  });
  afterEach(() => {
    socket.close();
    receiver.socket.close();
  });

  test.each([
    ["one frame: equal packets and a shorter last", [1400, 1400, 1400, 1221]],
    ["a single datagram", [900]],
    ["every packet the same size", [1400, 1400, 1400]],
    ["a short one in the middle starts a new run", [1400, 700, 1400, 1400, 100]],
    ["a longer one after the run's size", [500, 500, 1400, 1400]],
    ["more than 64 segments", Array.from({ length: 150 }, () => 200)],
    ["more than a UDP payload's worth in one run", Array.from({ length: 12 }, () => 8000)],
  ])("%s arrives as sent", async (_name, sizes) => {
    const datagrams = datagramsOf(sizes);
    socket.send(datagrams);
    await receiver.settle(sizes.length);
    expect(receiver.received.map((datagram) => datagram.length)).toEqual(sizes);
    receiver.received.forEach((datagram, index) => expect(datagram.every((byte) => byte === (index & 0xff))).toBe(true));
    expect(socket.segmenting).toBe(true);
  });

  test("it is bound on the port it reports, and a second bind of that port fails with EADDRINUSE", () => {
    expect(socket.port).toBeGreaterThan(0);
    expect(() => GsoSocket.open(LOOPBACK, socket.port, { address: LOOPBACK, port: receiver.socket.port })).toThrow(
      expect.objectContaining({ code: "EADDRINUSE" }),
    );
  });

  test("a client gone away (ICMP port unreachable) is not an error", async () => {
    const gone = await sink();
    const port = gone.socket.port;
    gone.socket.close();
    await Bun.sleep(10);
    const orphan = GsoSocket.open(LOOPBACK, 0, { address: LOOPBACK, port });
    try {
      for (let i = 0; i < 5; i++) orphan.send(datagramsOf([1400, 300]));
      expect(orphan.closed).toBe(false);
    } finally {
      orphan.close();
    }
  });

  test("when the kernel refuses GSO, GSO is turned off and every datagram still arrives", async () => {
    // SO_NO_CHECK (no UDP checksum) is one setting under which Linux refuses GSO with EINVAL, as it refuses a
    // device that cannot checksum segments (EIO).
    const libc = dlopen("libc.so.6", { setsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 } });
    const SOL_SOCKET = 1;
    const SO_NO_CHECK = 11;
    expect(libc.symbols.setsockopt(socket.fd, SOL_SOCKET, SO_NO_CHECK, ptr(new Int32Array([1])), 4)).toBe(0);
    libc.close();
    const sizes = [1400, 1400, 1400, 600, 1400, 1400, 50];
    socket.send(datagramsOf(sizes));
    await receiver.settle(sizes.length);
    expect(socket.segmenting).toBe(false);
    expect(receiver.received.map((datagram) => datagram.length)).toEqual(sizes);
    receiver.received.forEach((datagram, index) => expect(datagram[0]).toBe(index));
  });

  test("IPv6", async () => {
    const v6 = await sink("::1");
    const sender = GsoSocket.open("::1", 0, { address: "::1", port: v6.socket.port });
    try {
      sender.send(datagramsOf([1400, 1400, 20]));
      await v6.settle(3);
      expect(v6.received.map((datagram) => datagram.length)).toEqual([1400, 1400, 20]);
    } finally {
      sender.close();
      v6.socket.close();
    }
  });

  test("an address pair one socket cannot have is refused with a message that names it", () => {
    expect(() => GsoSocket.open(LOOPBACK, 0, { address: "::1", port: 9 })).toThrow(`not an address pair for one socket: ${LOOPBACK} → ::1`);
    expect(() => GsoSocket.open("localhost", 0, { address: LOOPBACK, port: 9 })).toThrow("not an address pair");
  });

  test("after close nothing is sent and close again is harmless", async () => {
    socket.close();
    expect(socket.closed).toBe(true);
    socket.send(datagramsOf([1400, 10]));
    socket.close();
    await Bun.sleep(30);
    expect(receiver.received).toEqual([]);
  });
});
