// The server's RTP/RTCP port pair when the odd port is taken: Bun.udpSocket throws a taken port synchronously, and
// that must be retried on another pair, not escape as a 500 to the client's SETUP (seen in the 10,000-cycle soak).
// The same with RTP on a GSO socket (the odd port is Bun's RTCP socket either way).
import { afterEach, describe, expect, spyOn, test } from "bun:test";
import { sharedPackets } from "../../lib/server/movie-library.ts";
import { UdpTransport } from "../../lib/server/udp-transport.ts";

const realUdpSocket = Bun.udpSocket.bind(Bun);
let restore: (() => void) | undefined;
afterEach(() => restore?.());

/** Makes the next `count` binds of an odd port throw EADDRINUSE synchronously, as Bun does when it is taken. */
function takeOddPorts(count: number): () => number {
  let thrown = 0;
  const spy = spyOn(Bun, "udpSocket").mockImplementation(((options: Parameters<typeof Bun.udpSocket>[0]) => {
    if (options.port !== undefined && options.port % 2 === 1 && thrown < count) {
      thrown++;
      throw new Error("bind EADDRINUSE 127.0.0.1");
    }
    return realUdpSocket(options);
  }) as typeof Bun.udpSocket);
  restore = () => spy.mockRestore();
  return () => thrown;
}

describe.each([true, false])("gso %p", (gso) => {
  test("a taken odd port is retried on another even/odd pair", async () => {
    const thrown = takeOddPorts(3);
    const transport = await UdpTransport.open("127.0.0.1", { address: "127.0.0.1", rtpPort: 40000, rtcpPort: 40001 }, () => {}, gso);
    try {
      expect(thrown()).toBe(3);
      const [rtp, rtcp] = transport.serverPorts;
      expect(rtp % 2).toBe(0);
      expect(rtcp).toBe(rtp + 1);
    } finally {
      transport.close();
    }
  });

  test("when every try is taken, the error names the pair it could not find", async () => {
    takeOddPorts(Number.POSITIVE_INFINITY);
    await expect(UdpTransport.open("127.0.0.1", { address: "127.0.0.1", rtpPort: 40000, rtcpPort: 40001 }, () => {}, gso)).rejects.toThrow(
      "no free even/odd UDP port pair for RTP/RTCP",
    );
  });
});

/** Sends one frame of packets of these sizes from `hostname` to a local sink; what the sink received. */
async function sendFrame(hostname: string, gso: boolean, sizes: number[]): Promise<number[][]> {
  const received: number[][] = [];
  const sink = await Bun.udpSocket({ hostname: "127.0.0.1", port: 0, socket: { data: (_socket, data) => void received.push([data.length, data[12]]) } });
  const transport = await UdpTransport.open(hostname, { address: "127.0.0.1", rtpPort: sink.port, rtcpPort: sink.port + 1 }, () => {}, gso);
  try {
    const packets = sharedPackets(sizes.map((size, index) => new Uint8Array(size).fill(index)));
    transport.sendRtpPackets(packets);
    for (let waited = 0; received.length < sizes.length && waited < 2000; waited += 5) await Bun.sleep(5);
    return received;
  } finally {
    transport.close();
    sink.close();
  }
}

describe("a frame's packets reach the client as datagrams, in order", () => {
  const sizes = [1388, 1388, 1388, 700];
  const expected = sizes.map((size, index) => [12 + size, index]);
  test.each([true, false])("gso %p", async (gso) => {
    expect(await sendFrame("127.0.0.1", gso, sizes)).toEqual(expected);
  });

  test("a local address libc will not take (a name) falls back to Bun's socket", async () => {
    expect(await sendFrame("localhost", true, sizes)).toEqual(expected);
  });
});
