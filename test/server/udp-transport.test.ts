// The server's RTP/RTCP port pair when the odd port is taken: Bun.udpSocket throws a taken port synchronously, and
// that must be retried on another pair, not escape as a 500 to the client's SETUP (seen in the 10,000-cycle soak).
import { afterEach, expect, spyOn, test } from "bun:test";
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

test("a taken odd port is retried on another even/odd pair", async () => {
  const thrown = takeOddPorts(3);
  const transport = await UdpTransport.open("127.0.0.1", { address: "127.0.0.1", rtpPort: 40000, rtcpPort: 40001 }, () => {});
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
  await expect(UdpTransport.open("127.0.0.1", { address: "127.0.0.1", rtpPort: 40000, rtcpPort: 40001 }, () => {})).rejects.toThrow(
    "no free even/odd UDP port pair for RTP/RTCP",
  );
});
