import { afterEach, describe, expect, test } from "bun:test";
import { ClientSession, SessionState } from "../../lib/client/client-session.ts";
import type { ReceivedFrame } from "../../lib/client/playback-statistics.ts";
import { Movie } from "../../lib/media/movie.ts";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import { startLabServer, type LabServer } from "./lab-reference-server.ts";
import { startFakeServer, type FakeServer, type FakeServerOptions } from "./standard-fake-server.ts";

const movie = Movie.fromBytes(makeSampleMovie({ frames: 60, width: 96, height: 64 }), "movie.Mjpeg");
const frames = Array.from({ length: movie.frameCount }, (_, i) => movie.frame(i));

let session: ClientSession | undefined;
let server: LabServer | FakeServer | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
  server?.stop();
  server = undefined;
});

function nextFrame(target: ClientSession, accept: (frame: ReceivedFrame) => boolean = () => true): Promise<ReceivedFrame> {
  return new Promise((resolve) => {
    const off = target.on("frame", (frame) => {
      if (!accept(frame)) return;
      off();
      resolve(frame);
    });
  });
}

describe("ClientSession state machine", () => {
  test("play from INIT sets up first; transitions are announced; illegal actions are refused", async () => {
    server = await startFakeServer({ frames: frames.slice(0, 10) });
    session = await ClientSession.open({ url: `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`, dialect: "rtsp", transport: "tcp" });
    const states: SessionState[] = [];
    session.on("state", (state) => states.push(state));
    expect(session.state).toBe(SessionState.Init);
    await expect(session.pause()).rejects.toThrow("cannot pause in state INIT");
    await expect(session.teardown()).rejects.toThrow("cannot teardown in state INIT");

    const ended = new Promise((resolve) => session!.on("end", resolve));
    await session.play();
    expect(session.totalFrames).toBe(10);
    expect(session.fps).toBe(20);
    await ended;
    expect(session.stats().framesReceived).toBe(10);
    await expect(session.setup()).rejects.toThrow("cannot setup in state PLAYING");
    await session.teardown();
    expect(states).toEqual([SessionState.Ready, SessionState.Playing, SessionState.Init]);
    expect(server.requests.map((r) => r.split(" ")[0])).toEqual(["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "TEARDOWN"]);
  });
});

describe("lab RTSP/1.4 extension", () => {
  test("Frames: gives the total; FORWARD and RESTART move the stream and the frame numbers follow", async () => {
    server = await startLabServer({ frames, framesHeader: true, extension4: true });
    session = await ClientSession.open({ url: `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`, dialect: "lab", transport: "udp" });
    const first = nextFrame(session);
    await session.play();
    expect(session.totalFrames).toBe(60);
    expect((await first).number).toBe(1);

    const afterSkip = nextFrame(session, (frame) => frame.number > 20);
    await session.skip(20);
    expect((await afterSkip).number).toBeGreaterThan(20);

    const afterRestart = nextFrame(session, (frame) => frame.number < 5);
    await session.restart();
    expect((await afterRestart).number).toBeLessThan(5);
    await session.pause();
    expect(session.state).toBe(SessionState.Ready);

    const requests = (server as LabServer).requests;
    expect(requests).toContain("FORWARD movie.Mjpeg RTSP/1.4\nCSeq: 3\nSession: 123456");
    expect(requests).toContain("RESTART movie.Mjpeg RTSP/1.4\nCSeq: 4\nSession: 123456");
    expect(session.stats().packets.lost).toBe(0);
  });

  test("RTSP/1.0 servers cannot skip", async () => {
    server = await startLabServer({ frames: frames.slice(0, 3) });
    session = await ClientSession.open({ url: `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`, dialect: "lab", transport: "udp", labVersion: "RTSP/1.0" });
    await session.setup();
    await expect(session.skip(20)).rejects.toThrow("FORWARD / BACKWARD needs the lab's RTSP/1.4");
  });
});

describe("standard seeks", () => {
  const FRAMES = 30;

  /** Plays the raw-wire server's movie, runs `seek` once frame 15 is in, and returns every frame number delivered. */
  async function seekAtFrame15(options: FakeServerOptions, transport: "udp" | "tcp", seek: (session: ClientSession) => Promise<unknown>) {
    server = await startFakeServer(options);
    session = await ClientSession.open({ url: `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`, dialect: "rtsp", transport });
    const numbers: number[] = [];
    session.on("frame", (frame) => numbers.push(frame.number));
    const ended = new Promise((resolve) => session!.on("end", resolve));
    const fifteenth = nextFrame(session, (frame) => frame.number === 15);
    await session.play();
    await fifteenth;
    await seek(session);
    await ended;
    return numbers;
  }

  /** From the last jump back on, the numbers start no later than `latestStart` and run to the end without a gap. */
  function expectRunToTheEnd(numbers: number[], latestStart: number) {
    const replayed = numbers.slice(numbers.findLastIndex((number, i) => i > 0 && number < numbers[i - 1]));
    expect(replayed[0]).toBeLessThanOrEqual(latestStart);
    expect(replayed).toEqual(Array.from({ length: FRAMES + 1 - replayed[0] }, (_, i) => replayed[0] + i));
  }

  test.each(["tcp", "udp"] as const)(
    "%s: skipping back plays every frame again from the new position, the one sent with the PAUSE reply too",
    async (transport) => {
      const options = { frames: frames.slice(0, FRAMES), frameWithPauseReply: true };
      expectRunToTheEnd(await seekAtFrame15(options, transport, (session) => session.skip(-10)), 6);
      expect(server!.requests.map((r) => r.split(" ")[0])).toEqual(["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "PLAY"]);
    },
  );

  test("two skips at once: the second PLAY's first packet, read with its reply, is kept", async () => {
    // Frames of several packets each, so that a first packet taken alone cannot be a whole frame.
    const large = Movie.fromBytes(makeSampleMovie({ frames: FRAMES, width: 160, height: 120 }), "large.Mjpeg");
    const options = { frames: Array.from({ length: FRAMES }, (_, i) => large.frame(i)), firstPacketWithReply: true };
    const numbers = await seekAtFrame15(options, "tcp", (session) => Promise.all([session.skip(-5), session.skip(-5)]));
    expect(server!.requests.map((r) => r.split(" ")[0])).toEqual(["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "PAUSE", "PLAY", "PLAY"]);
    expectRunToTheEnd(numbers, 11);
    expect(session!.stats().framesDropped).toBe(0);
  });
});
