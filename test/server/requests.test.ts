// Every way clients frame requests, and every error status, on a real server: the connection keeps answering.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RawClient, startTestServer, UdpReceiver, type TestServer } from "./harness.ts";

let served: TestServer;
let receiver: UdpReceiver;
beforeAll(async () => {
  served = await startTestServer();
  receiver = await UdpReceiver.open();
});
afterAll(async () => {
  receiver.close();
  await served.close();
});

async function withClient(body: (client: RawClient) => Promise<void>): Promise<void> {
  const client = await RawClient.connect(served.server.port);
  try {
    await body(client);
  } finally {
    client.close();
  }
}

describe("request framing", () => {
  const url = () => `rtsp://127.0.0.1:${served.server.port}/movie.Mjpeg`;
  const variations: Array<[string, () => string[]]> = [
    ["CRLF lines and a blank line", () => [`SETUP movie.Mjpeg RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/UDP; client_port= ${receiver.port}\r\n\r\n`]],
    ["LF lines and a blank line", () => [`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}\n\n`]],
    ["a trailing newline and no blank line", () => [`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}\n`]],
    ["an rtsp:// URL", () => [`SETUP ${url()} RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}`]],
    ["client_port=N without the space", () => [`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP;client_port=${receiver.port}`]],
    ["RTSP/1.4", () => [`SETUP movie.Mjpeg RTSP/1.4\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}`]],
    [
      "one request split across writes",
      () => ["SETUP movie.Mj", "peg RTSP/1.0\r\nCSeq: 1\r\nTrans", `port: RTP/UDP; client_port= ${receiver.port}\r`, "\n\r\n"],
    ],
  ];

  test.each(variations)("SETUP with %s", async (_name, parts) => {
    await withClient(async (client) => {
      for (const part of parts()) {
        client.send(part);
        await Bun.sleep(2);
      }
      const reply = await client.reply(0);
      expect(reply.status).toBe(200);
      expect(reply.lines[1]).toBe("CSeq: 1");
      expect(reply.lines[2]).toMatch(/^Session: \d{6}$/);
    });
  });

  test("two lab requests in one write get two replies, in order", async () => {
    await withClient(async (client) => {
      client.send(`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}\nDESCRIBE movie.Mjpeg RTSP/1.0\nCSeq: 2`);
      const [first, second] = [await client.reply(0), await client.reply(1)];
      expect([first.status, first.lines[1]]).toEqual([200, "CSeq: 1"]);
      expect([second.status, second.lines[1]]).toEqual([200, "CSeq: 2"]);
      expect(second.body).toStartWith("DESCRIPTION\n");
    });
  });

  test("two standard requests in one write get two replies, in order", async () => {
    await withClient(async (client) => {
      client.send(`OPTIONS ${url()} RTSP/1.0\r\nCSeq: 7\r\n\r\nGET_PARAMETER ${url()} RTSP/1.0\r\nCSeq: 8\r\n\r\n`);
      expect((await client.reply(0)).header("CSeq")).toBe("7");
      expect((await client.reply(1)).header("CSeq")).toBe("8");
    });
  });
});

describe("error statuses keep the connection usable", () => {
  const options = (cseq: number) => `OPTIONS * RTSP/1.0\r\nCSeq: ${cseq}\r\n\r\n`;
  const cases: Array<[string, number, string]> = [
    ["a malformed request line", 400, "NONSENSE\r\nCSeq: 1\r\n\r\n"],
    ["a missing CSeq", 400, "OPTIONS * RTSP/1.0\r\n\r\n"],
    ["an unknown movie", 404, "DESCRIBE rtsp://127.0.0.1/nothing.Mjpeg RTSP/1.0\r\nCSeq: 1\r\n\r\n"],
    ["a path outside the root", 404, "DESCRIBE rtsp://127.0.0.1/../movie.Mjpeg RTSP/1.0\r\nCSeq: 1\r\n\r\n"],
    ["an unknown session", 454, "PLAY movie.Mjpeg RTSP/1.0\nCSeq: 1\nSession: 123\n\n"],
    ["PLAY before SETUP", 455, "PLAY rtsp://127.0.0.1/movie.Mjpeg RTSP/1.0\r\nCSeq: 1\r\n\r\n"],
    ["an unknown method", 501, "RECORD rtsp://127.0.0.1/movie.Mjpeg RTSP/1.0\r\nCSeq: 1\r\n\r\n"],
    ["an unsupported version", 505, "OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n"],
    ["a multicast transport", 461, "SETUP rtsp://127.0.0.1/movie.Mjpeg RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;multicast\r\n\r\n"],
    ["an unknown profile", 461, "SETUP rtsp://127.0.0.1/movie.Mjpeg RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/SAVP;unicast;client_port=5000-5001\r\n\r\n"],
  ];

  test.each(cases)("%s → %d", async (_name, status, request) => {
    await withClient(async (client) => {
      const reply = await client.request(request);
      expect(reply.status).toBe(status);
      if (request.includes("CSeq: 1")) expect(reply.header("CSeq")).toBe("1");
      const after = await client.request(options(2));
      expect([after.status, after.header("CSeq")]).toEqual([200, "2"]);
    });
  });

  test("SETUP while PLAYING is 455, and the session still answers afterwards", async () => {
    await withClient(async (client) => {
      const setup = await client.request(`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}`);
      const session = setup.header("Session");
      expect((await client.request(`PLAY movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: ${session}`)).status).toBe(200);
      const again = `SETUP movie.Mjpeg RTSP/1.0\nCSeq: 3\nSession: ${session}\nTransport: RTP/UDP; client_port= ${receiver.port}`;
      expect((await client.request(again)).status).toBe(455);
      expect((await client.request(`PAUSE movie.Mjpeg RTSP/1.0\nCSeq: 4\nSession: ${session}`)).status).toBe(200);
      expect((await client.request(`TEARDOWN movie.Mjpeg RTSP/1.0\nCSeq: 5\nSession: ${session}`)).status).toBe(200);
    });
  });

  // GStreamer's rtspsrc sends PAUSE on its way out after the end-of-movie BYE, when the session is READY again.
  test("PAUSE while READY is a harmless 200, and PLAY still starts", async () => {
    await withClient(async (client) => {
      const setup = await client.request(`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}`);
      const session = setup.header("Session");
      expect((await client.request(`PAUSE movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: ${session}`)).status).toBe(200);
      expect((await client.request(`PLAY movie.Mjpeg RTSP/1.0\nCSeq: 3\nSession: ${session}`)).status).toBe(200);
      expect((await client.request(`TEARDOWN movie.Mjpeg RTSP/1.0\nCSeq: 4\nSession: ${session}`)).status).toBe(200);
    });
  });

  test("a request naming no session once one exists is 454", async () => {
    await withClient(async (client) => {
      await client.request(`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}`);
      expect((await client.request("PLAY movie.Mjpeg RTSP/1.0\nCSeq: 2")).status).toBe(454);
    });
  });
});
