// Each limit of lib/server/limits.ts on a real server, set low so that a test can reach it.
import { describe, expect, test } from "bun:test";
import { RawClient, UdpReceiver, waitFor } from "../server/harness.ts";
import { serveFolder, type ServedFolder } from "./served-folder.ts";
import type { ServerOptions } from "../../lib/server/server.ts";

async function withServer(options: Partial<ServerOptions>, body: (served: ServedFolder) => Promise<void>): Promise<void> {
  const served = await serveFolder(options);
  try {
    await body(served);
  } finally {
    await served.close();
  }
}

/** The server closes a peer once this much of its replies wait unread (MAX_UNREAD_BYTES of lib/server/connection.ts). */
const MAX_UNREAD_BYTES = 4 << 20;
/** Enough for the loopback's TCP buffers (32 MiB receive, 4 MiB send at most here) and the server's queue. */
const MAX_UNREAD_REQUESTS = 1000;

const options = (cseq: number) => `OPTIONS * RTSP/1.0\r\nCSeq: ${cseq}\r\n\r\n`;
/** A SETUP whose unsupported Transport comes back whole in the body of its 461: a large reply for each request. */
const echoedSetup = (url: string, cseq: number) => `SETUP ${url} RTSP/1.0\r\nCSeq: ${cseq}\r\nTransport: RTP/SAVP;${"x".repeat(60_000)}\r\n\r\n`;
const labSetup = (port: number) => `SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${port}\n\n`;

describe("server limits", () => {
  test("requests beyond the per-connection rate are answered 503 and not acted on", async () => {
    await withServer({ limits: { requestsPerSecond: 5 } }, async (served) => {
      const client = await RawClient.connect(served.server.port);
      client.send(Array.from({ length: 8 }, (_, i) => options(i + 1)).join(""));
      await client.reply(7);
      expect(client.replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200, 503, 503, 503]);
      expect(client.replies.map((reply) => reply.header("CSeq"))).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
      client.close();
    });
  });

  test("a SETUP beyond --max-sessions is 503; a TEARDOWN frees a place", async () => {
    await withServer({ limits: { maxSessions: 2 } }, async (served) => {
      const receiver = await UdpReceiver.open();
      const clients = await Promise.all([1, 2, 3].map(() => RawClient.connect(served.server.port)));
      const replies = [];
      for (const client of clients) replies.push(await client.request(labSetup(receiver.port)));
      expect(replies.map((reply) => reply.status)).toEqual([200, 200, 503]);
      expect(served.server.sessionCount).toBe(2);
      const teardown = await clients[0].request(`TEARDOWN movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: ${replies[0].header("Session")}\n\n`);
      expect(teardown.status).toBe(200);
      expect((await clients[2].request(labSetup(receiver.port))).status).toBe(200);
      for (const client of clients) client.close();
      receiver.close();
    });
  });

  test("a connection beyond --max-connections is answered 503 and closed", async () => {
    await withServer({ limits: { maxConnections: 2 } }, async (served) => {
      const first = await RawClient.connect(served.server.port);
      const second = await RawClient.connect(served.server.port);
      const third = await RawClient.connect(served.server.port);
      expect((await third.reply(0)).status).toBe(503);
      await waitFor(() => third.closed, "the third connection to close");
      expect((await first.request(options(1))).status).toBe(200);
      first.close();
      await waitFor(() => served.server.connectionCount === 1, "the first connection to be gone");
      const fourth = await RawClient.connect(served.server.port);
      expect((await fourth.request(options(1))).status).toBe(200);
      for (const client of [second, fourth]) client.close();
    });
  });

  test("a request that never completes is answered 408 and its connection closed", async () => {
    await withServer({ limits: { requestTimeout: 0.5 } }, async (served) => {
      const client = await RawClient.connect(served.server.port);
      client.send(`DESCRIBE ${served.url()} RTSP/1.0\r\nCSeq: 1\r\nX-Slow: `);
      // One byte every 50 ms: never quiet long enough to be taken as a whole request.
      const dribble = setInterval(() => client.closed || client.send("z"), 50);
      try {
        await waitFor(() => client.closed, "the slow connection to close", 3000);
      } finally {
        clearInterval(dribble);
      }
      expect(client.replies.map((reply) => reply.status)).toEqual([408]);
    });
  });

  test("a connection without a session is closed after the idle timeout; one with a session stays", async () => {
    await withServer({ limits: { idleTimeout: 0.5 } }, async (served) => {
      const receiver = await UdpReceiver.open();
      const idle = await RawClient.connect(served.server.port);
      const holding = await RawClient.connect(served.server.port);
      expect((await idle.request(options(1))).status).toBe(200);
      expect((await holding.request(labSetup(receiver.port))).status).toBe(200);
      await waitFor(() => idle.closed, "the idle connection to close", 3000);
      expect(holding.closed).toBe(false);
      expect(served.server.sessionCount).toBe(1);
      holding.close();
      receiver.close();
    });
  });

  test("a peer that stops reading is closed once 4 MiB of replies wait for it; one that reads stays", async () => {
    await withServer({ limits: { requestsPerSecond: 100_000, maxRequestBytes: 65_536 } }, async (served) => {
      const reader = await RawClient.connect(served.server.port);
      const replySize = (await reader.request(echoedSetup(served.url(), 1))).text.length;
      expect(replySize).toBeGreaterThan(60_000);
      for (let cseq = 2; cseq * replySize <= 2 * MAX_UNREAD_BYTES; cseq++) {
        expect((await reader.request(echoedSetup(served.url(), cseq))).status).toBe(461);
      }
      expect(reader.closed).toBe(false);
      reader.close();
      await waitFor(() => served.server.connectionCount === 0, "the reading connection to be gone");

      const stalled = await Bun.connect({ hostname: "127.0.0.1", port: served.server.port, socket: { data() {} } });
      stalled.pause();
      let requests = 0;
      let unsent = new Uint8Array(0);
      while (served.server.connectionCount > 0 && requests < MAX_UNREAD_REQUESTS) {
        if (unsent.length === 0) unsent = new TextEncoder().encode(echoedSetup(served.url(), ++requests));
        unsent = unsent.subarray(Math.max(0, stalled.write(unsent)));
        await Bun.sleep(1);
      }
      await waitFor(() => served.server.connectionCount === 0, "the stalled connection to be closed");
      expect(requests * replySize).toBeGreaterThan(MAX_UNREAD_BYTES);
      stalled.end();
    });
  });

  test("a standard session without keep-alive ends after the session timeout", async () => {
    await withServer({ sessionTimeout: 1 }, async (served) => {
      const receiver = await UdpReceiver.open();
      const client = await RawClient.connect(served.server.port);
      const reply = await client.request(`SETUP ${served.url()} RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;unicast;client_port=${receiver.port}-${receiver.port + 1}\r\n\r\n`);
      expect(reply.status).toBe(200);
      expect(served.server.sessionCount).toBe(1);
      await waitFor(() => served.server.sessionCount === 0, "the session to time out", 3000);
      client.close();
      receiver.close();
    });
  });
});
