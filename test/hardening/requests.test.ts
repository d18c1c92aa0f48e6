// Whatever one peer sends, it gets its proper status (or its connection closed) and everyone else is served.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RawClient, UdpReceiver, openReceiverPair, waitFor } from "../server/harness.ts";
import { serveFolder, type ServedFolder } from "./served-folder.ts";

let served: ServedFolder;
let receiver: UdpReceiver;
beforeAll(async () => {
  served = await serveFolder();
  receiver = await UdpReceiver.open();
});
afterAll(async () => {
  receiver.close();
  await served.close();
});

async function withClient<T>(body: (client: RawClient) => Promise<T>): Promise<T> {
  const client = await RawClient.connect(served.server.port);
  try {
    return await body(client);
  } finally {
    client.close();
  }
}

const options = (cseq: number) => `OPTIONS * RTSP/1.0\r\nCSeq: ${cseq}\r\n\r\n`;
const setup = (url: string, transport: string, extra = "") => `SETUP ${url} RTSP/1.0\r\nCSeq: 1\r\nTransport: ${transport}\r\n${extra}\r\n`;

describe("a malformed request gets its status and the connection keeps answering", () => {
  const manyHeaders = Array.from({ length: 101 }, (_, i) => `X-H${i}: v\r\n`).join("");
  const cases: Array<[string, number, () => string]> = [
    ["a malformed request line", 400, () => "NONSENSE\r\nCSeq: 1\r\n\r\n"],
    ["a request-URI over 4 KiB", 414, () => `DESCRIBE rtsp://127.0.0.1/${"a".repeat(5000)} RTSP/1.0\r\nCSeq: 1\r\n\r\n`],
    ["a head over 8 KiB", 431, () => `OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX-Big: ${"b".repeat(9000)}\r\n\r\n`],
    ["more than 100 headers", 431, () => `OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n${manyHeaders}\r\n`],
    ["a session of nobody", 454, () => `PLAY ${served.url()} RTSP/1.0\r\nCSeq: 1\r\nSession: 999999\r\n\r\n`],
    ["PLAY before SETUP", 455, () => `PLAY ${served.url()} RTSP/1.0\r\nCSeq: 1\r\n\r\n`],
    ["client_port 0", 461, () => setup(served.url(), "RTP/AVP;unicast;client_port=0-1")],
    ["a privileged client_port", 461, () => setup(served.url(), "RTP/AVP;unicast;client_port=52-53")],
    ["a lab client_port below 1024", 461, () => "SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 123\n\n"],
    ["RTP aimed at another host", 403, () => setup(served.url(), `RTP/AVP;unicast;destination=10.9.8.7;client_port=${receiver.port}-${receiver.port + 1}`)],
    ["an unknown method", 501, () => `RECORD ${served.url()} RTSP/1.0\r\nCSeq: 1\r\n\r\n`],
    ["an unsupported RTSP version", 505, () => "OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n"],
  ];

  test.each(cases)("%s → %d", async (_name, status, request) => {
    await withClient(async (client) => {
      const reply = await client.request(request());
      expect(reply.status).toBe(status);
      expect(reply.header("CSeq")).toBe("1");
      const after = await client.request(options(2));
      expect([after.status, after.header("CSeq")]).toEqual([200, "2"]);
    });
    expect(served.server.sessionCount).toBe(0);
  });

  test("destination= naming the peer itself is accepted", async () => {
    await withClient(async (client) => {
      const reply = await client.request(setup(served.url(), `RTP/AVP;unicast;destination=127.0.0.1;client_port=${receiver.port}-${receiver.port + 1}`));
      expect(reply.status).toBe(200);
    });
  });

  test("a SETUP adding another movie to a session is 459; the session is untouched", async () => {
    await withClient(async (client) => {
      const [rtp, rtcp] = await openReceiverPair();
      try {
        const first = await client.request(setup(served.url(), `RTP/AVP;unicast;client_port=${rtp.port}-${rtcp.port}`));
        const session = first.header("Session")!.split(";")[0];
        const second = await client.request(
          `SETUP ${served.url("other.Mjpeg")} RTSP/1.0\r\nCSeq: 1\r\nSession: ${session}\r\nTransport: RTP/AVP;unicast;client_port=${rtp.port}-${rtcp.port}\r\n\r\n`,
        );
        expect(second.status).toBe(459);
        const play = await client.request(`PLAY ${served.url()} RTSP/1.0\r\nCSeq: 3\r\nSession: ${session}\r\n\r\n`);
        expect(play.status).toBe(200);
        await waitFor(() => rtp.packets.length > 0, "RTP of the first movie");
      } finally {
        rtp.close();
        rtcp.close();
      }
    });
  });

  test("a Session header naming another connection's session is 454 and does not touch it", async () => {
    await withClient(async (owner) => {
      const reply = await owner.request(`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}\n\n`);
      const session = reply.header("Session")!;
      await withClient(async (intruder) => {
        const teardown = await intruder.request(`TEARDOWN ${served.url()} RTSP/1.0\r\nCSeq: 1\r\nSession: ${session}\r\n\r\n`);
        expect(teardown.status).toBe(454);
      });
      expect(served.server.sessionCount).toBe(1);
      const ownTeardown = await owner.request(`TEARDOWN movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: ${session}\n\n`);
      expect(ownTeardown.status).toBe(200);
    });
  });

  test("a body over the limit is 413 and the connection is closed", async () => {
    await withClient(async (client) => {
      const reply = await client.request(`GET_PARAMETER * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 100000\r\n\r\n${"x".repeat(1000)}`);
      expect(reply.status).toBe(413);
      await waitFor(() => client.closed, "the connection to close");
    });
  });
});

describe("bytes that are not RTSP", () => {
  const garbage: Array<[string, () => Uint8Array]> = [
    ["random binary", () => crypto.getRandomValues(new Uint8Array(20_000))],
    ["a TLS ClientHello", () => new Uint8Array([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, ...new Array(500).fill(0x41)])],
    ["an HTTP request line by line", () => new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")],
  ];

  test.each(garbage)("%s: the connection is closed, the server keeps serving", async (_name, bytes) => {
    await withClient(async (client) => {
      client.send(bytes());
      await waitFor(() => client.closed, "the connection to close");
    });
    await withClient(async (client) => expect((await client.request(options(1))).status).toBe(200));
  });
});
