import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freeUdpPort } from "../../lib/bench/loopback-listener.ts";
import { playHeadless, type PlayReport } from "../../lib/client/play.ts";
import { classicFrames, padWithComment } from "../fixtures/classic-movie.ts";
import { cleanUpAfterEachTest } from "../support/clean-up-after-each-test.ts";
import { frameFileNames } from "../support/frame-file-names.ts";
import { startLabServer, type LabServer } from "./lab-reference-server.ts";

/** Distinct frames: the genuine classic frames, each padded to its own size. */
function movieFrames(count: number): Uint8Array[] {
  const genuine = classicFrames();
  return Array.from({ length: count }, (_, i) => {
    const frame = genuine[i % genuine.length];
    return padWithComment(frame, frame.length + 4 + i);
  });
}

const cleanUp = cleanUpAfterEachTest();
let server: LabServer | undefined;

async function playLab(frames: number, extra: Partial<Parameters<typeof startLabServer>[0]> = {}, timeoutMs = 5000, clientPort?: number) {
  const movie = movieFrames(frames);
  server = cleanUp.stopAfterTest(await startLabServer({ frames: movie, ...extra }));
  const directory = cleanUp.scratchFolder("rtsp-lab-play-");
  const reportPath = join(directory, "report.json");
  const report = await playHeadless({
    url: `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`,
    outDir: join(directory, "frames"),
    reportPath,
    dialect: "lab",
    transport: "auto",
    timeoutMs,
    clientPort,
  });
  return { movie, report, reportPath, framesDir: join(directory, "frames") };
}

function expectSavedFrames(framesDir: string, movie: Uint8Array[], count = movie.length) {
  const names = readdirSync(framesDir).sort();
  expect(names).toEqual(frameFileNames(count, 1));
  for (let i = 0; i < count; i++) {
    expect(readFileSync(join(framesDir, names[i])).equals(movie[i])).toBe(true);
  }
}

describe("lab dialect against the reference server's behaviour", () => {
  test("every frame saved byte-identical, report right, requests exactly like the lab client", async () => {
    const clientPort = await freeUdpPort();
    const { movie, report, reportPath, framesDir } = await playLab(24, {}, 5000, clientPort);
    expectSavedFrames(framesDir, movie);
    expect(report).toMatchObject({
      dialect: "lab",
      transport: "udp",
      framesReceived: 24,
      framesExpected: null,
      framesDropped: 0,
      bytes: movie.reduce((sum, f) => sum + f.length, 0),
      endedBy: "complete",
    });
    expect(report.packets).toMatchObject({ received: 24, expected: 24, lost: 0, lossRate: 0, late: 0, duplicates: 0 });
    expect(report.interFrameIntervalMs.targetMs).toBe(50);
    expect(report.firstFrameAfterPlayMs).not.toBeNull();
    expect(JSON.parse(readFileSync(reportPath, "utf8")) as PlayReport).toEqual(report);

    const [setup, play, teardown] = server!.requests;
    expect(setup).toBe(`SETUP movie.Mjpeg RTSP/1.4\nCSeq: 1\nTransport: RTP/UDP; client_port= ${clientPort}`);
    expect(play).toMatch(/^PLAY movie\.Mjpeg RTSP\/1\.\d\nCSeq: 2\nSession: 123456$/);
    expect(teardown).toMatch(/^TEARDOWN movie\.Mjpeg RTSP\/1\.\d\nCSeq: 3\nSession: 123456$/);
  });

  test("a Frames: header gives the expected count and ends the run at the last frame", async () => {
    const { movie, report, framesDir } = await playLab(12, { framesHeader: true });
    expectSavedFrames(framesDir, movie);
    expect(report).toMatchObject({ framesReceived: 12, framesExpected: 12, endedBy: "complete" });
  });

  test("a server that answers but sends nothing ends the run by timeout", async () => {
    const { report } = await playLab(5, { silent: true }, 1000);
    expect(report).toMatchObject({ endedBy: "timeout", framesReceived: 0, error: "no data within 1 s after PLAY" });
  });

  test("a server that drops the connection mid-stream ends the run as server-gone", async () => {
    const { movie, report, framesDir } = await playLab(40, { vanishAfter: 6 });
    expect(report.endedBy).toBe("server-gone");
    expect(report.error).toContain("server closed the connection");
    expect(report.framesReceived).toBeGreaterThanOrEqual(1);
    expectSavedFrames(framesDir, movie, report.framesReceived);
  });
});
