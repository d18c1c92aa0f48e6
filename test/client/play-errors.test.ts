import { afterEach, expect, test } from "bun:test";
import type { TCPSocketListener } from "bun";
import { freeTcpPort } from "../../lib/bench/loopback-listener.ts";
import { playHeadless } from "../../lib/client/play.ts";

let listener: TCPSocketListener<undefined> | undefined;
afterEach(() => {
  listener?.stop(true);
  listener = undefined;
});

/** A standard server that answers every request with `status`, CSeq echoed, blank line terminated. */
function startAnsweringServer(status: string): number {
  listener = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket, bytes) {
        const cseq = /CSeq:\s*(\d+)/i.exec(new TextDecoder().decode(bytes))?.[1] ?? "0";
        const extra = status.startsWith("200") ? "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n" : "";
        socket.write(`RTSP/1.0 ${status}\r\nCSeq: ${cseq}\r\n${extra}\r\n`);
      },
    },
  });
  return listener.port;
}

const base = { dialect: "rtsp", transport: "auto", timeoutMs: 2000 } as const;

test("connection refused names host, port and reason", async () => {
  const port = await freeTcpPort(); // nobody listens there any more
  const report = await playHeadless({ ...base, url: `rtsp://127.0.0.1:${port}/movie.Mjpeg` });
  expect(report).toMatchObject({ endedBy: "error", error: `cannot connect to 127.0.0.1:${port}: connection refused`, framesReceived: 0 });
});

test("a 404 answer is reported with the status and the stream name", async () => {
  const port = startAnsweringServer("404 Not Found");
  const report = await playHeadless({ ...base, url: `rtsp://127.0.0.1:${port}/movie.Mjpeg` });
  expect(report).toMatchObject({ endedBy: "error", error: "server answered 404 Not Found for movie.Mjpeg" });
});

test("auto dialect falls back to the lab when OPTIONS goes unanswered, and a silent lab server times out", async () => {
  listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const report = await playHeadless({ url: `rtsp://127.0.0.1:${listener.port}/movie.Mjpeg`, dialect: "auto", transport: "auto", timeoutMs: 1000 });
  expect(report.dialect).toBe("lab");
  expect(report.endedBy).toBe("timeout");
  expect(report.error).toBe("no reply to SETUP within 1 s");
}, 10_000);
