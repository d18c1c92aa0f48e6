import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import jpeg from "jpeg-js";
import { playHeadless, type PlayOptions } from "../../lib/client/play.ts";
import { Movie } from "../../lib/media/movie.ts";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import { cleanUpAfterEachTest } from "../support/clean-up-after-each-test.ts";
import { frameFileNames } from "../support/frame-file-names.ts";
import { startFakeServer, type FakeServer, type FakeServerOptions } from "./standard-fake-server.ts";

const FRAMES = 10;
const movie = Movie.fromBytes(makeSampleMovie({ frames: FRAMES, width: 160, height: 120 }), "movie.Mjpeg");
const frames = Array.from({ length: FRAMES }, (_, i) => movie.frame(i));

const cleanUp = cleanUpAfterEachTest();
let server: FakeServer | undefined;

async function play(serverOptions: Partial<FakeServerOptions>, transport: PlayOptions["transport"]) {
  server = cleanUp.stopAfterTest(await startFakeServer({ frames, ...serverOptions }));
  const directory = cleanUp.scratchFolder("rtsp-std-play-");
  const outDir = join(directory, "frames");
  const report = await playHeadless({ url: `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`, outDir, dialect: "rtsp", transport, timeoutMs: 5000 });
  return { report, outDir };
}

function expectDecodedFrames(outDir: string) {
  const names = readdirSync(outDir).sort();
  expect(names).toEqual(frameFileNames(FRAMES, 1));
  names.forEach((name, i) => {
    const received = jpeg.decode(readFileSync(join(outDir, name)), { useTArray: true });
    const source = jpeg.decode(frames[i], { useTArray: true });
    expect([received.width, received.height]).toEqual([source.width, source.height]);
    expect(Buffer.from(received.data).equals(Buffer.from(source.data))).toBe(true);
  });
}

describe("standard RTSP against raw-wire servers", () => {
  test("UDP: SETUP follows Content-Base + a=control, frames reassembled, numbered and decodable", async () => {
    const { report, outDir } = await play({}, "udp");
    expectDecodedFrames(outDir);
    expect(report).toMatchObject({ dialect: "rtsp", transport: "udp", framesReceived: FRAMES, framesExpected: FRAMES, framesDropped: 0, endedBy: "complete" });
    expect(report.packets.lost).toBe(0);
    expect(report.server?.packetCount).toBe(report.packets.received);
    const methods = server!.requests.map((r) => r.split(" ").slice(0, 2).join(" "));
    const base = `rtsp://127.0.0.1:${server!.port}/movie.Mjpeg`;
    expect(methods).toEqual([`OPTIONS ${base}`, `DESCRIBE ${base}`, `SETUP ${base}/trackID=0`, `PLAY ${base}/`, `TEARDOWN ${base}/`]);
    expect(server!.requests[2]).toMatch(/Transport: RTP\/AVP;unicast;client_port=(\d*[02468])-\d+/);
  });

  test("UDP: an RTCP source the client cannot send to (IPv6 to an IPv4 client) costs the receiver reports, not the play", async () => {
    // Receiver reports go every 5 s: ten frames 600 ms apart keep the session playing past the first one.
    const { report, outDir } = await play({ transportSource: "::1", frameIntervalMs: 600 }, "udp");
    expectDecodedFrames(outDir);
    expect(report).toMatchObject({ framesReceived: FRAMES, endedBy: "complete" });
  }, 15_000);

  test("UDP: reordered and duplicated packets are put back in order and counted", async () => {
    const { report, outDir } = await play({ shuffleUdp: true }, "udp");
    expectDecodedFrames(outDir);
    expect(report.packets.duplicates).toBe(1);
    expect(report.packets.outOfOrder).toBeGreaterThanOrEqual(1);
    expect(report.packets.lost).toBe(0);
  });

  test("TCP interleaved: frames reassembled and decodable", async () => {
    const { report, outDir } = await play({}, "tcp");
    expectDecodedFrames(outDir);
    expect(report).toMatchObject({ transport: "tcp", framesReceived: FRAMES, endedBy: "complete" });
    expect(server!.requests.find((r) => r.startsWith("SETUP"))).toContain("Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
  });

  // Read before the PLAY reply was handled, the first packet went into the state the reply then reset: the frame's
  // other packets found no start ("first fragment missing") and the run ended one frame short.
  test.each(["tcp", "udp"] as const)("%s: a first packet that comes with the PLAY reply is kept", async (transport) => {
    const { report, outDir } = await play({ firstPacketWithReply: true }, transport);
    expectDecodedFrames(outDir);
    expect(report).toMatchObject({ framesReceived: FRAMES, framesDropped: 0, endedBy: "complete" });
  });

  test("transport auto: 461 to UDP SETUP falls back to TCP", async () => {
    const { report, outDir } = await play({ refuseUdp: true }, "auto");
    expectDecodedFrames(outDir);
    expect(report).toMatchObject({ transport: "tcp", endedBy: "complete" });
  });

  test("transport auto: no RTP within 3 s over UDP tears down and sets up again over TCP", async () => {
    const { report, outDir } = await play({ swallowUdp: true }, "auto");
    expectDecodedFrames(outDir);
    expect(report).toMatchObject({ transport: "tcp", endedBy: "complete" });
    const methods = server!.requests.map((r) => r.split(" ")[0]);
    expect(methods).toEqual(["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "TEARDOWN", "SETUP", "PLAY", "TEARDOWN"]);
  }, 15_000);

  test("keep-alive: GET_PARAMETER within the session timeout the server announced", async () => {
    const { report } = await play({ sessionTimeout: 2, frameIntervalMs: 60, frames: [...frames, ...frames, ...frames] }, "tcp");
    expect(report.endedBy).toBe("complete");
    const keepAlive = server!.requests.filter((r) => r.startsWith("GET_PARAMETER"));
    expect(keepAlive.length).toBeGreaterThanOrEqual(1);
    expect(keepAlive[0]).toContain("Session: 5f3a");
  });

  test("transport udp never falls back: silence is a timeout", async () => {
    server = cleanUp.stopAfterTest(await startFakeServer({ frames, swallowUdp: true }));
    const report = await playHeadless({ url: `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`, dialect: "rtsp", transport: "udp", timeoutMs: 1000 });
    expect(report).toMatchObject({ transport: "udp", endedBy: "timeout", error: "no data within 1 s after PLAY" });
  });
});
