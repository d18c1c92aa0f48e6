// 10,000 cycles of connect, SETUP, PLAY, disconnect against `rtsp serve` as a child: afterwards no session is left and
// the server's CPU is idle. Then SIGTERM and SIGINT: every session ends (RTCP BYE), exit 0 within a second.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeRtcp } from "../../lib/rtp/rtcp.ts";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import { openReceiverPair, RawClient, UdpReceiver, waitFor } from "../server/harness.ts";
import { startServerProcess } from "./server-process.ts";

const CYCLES = 10_000;
const WORKERS = 32;
/** CPU ticks (1/100 s) an idle server may use in one second: its 4 sweeps are far below one tick. */
const IDLE_TICKS = 3;
/**
 * One-second windows to find it idle in. Collecting 10,000 sessions' garbage can take a tick or two more in the first
 * second on a busy machine; a leaked timer or loop costs the same in every window.
 */
const IDLE_WINDOWS = 5;

let folder: string;
let movie: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "rtsp-soak-"));
  movie = join(folder, "movie.Mjpeg");
  // Long enough (10 s at 100 fps) that a leaked session would still be sending when the cycles end.
  await writeFile(movie, makeSampleMovie({ frames: 1000, width: 32, height: 24 }));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** A reply head ends at a blank line; these replies have no body. */
function waitForReplies(socket: { text: string }, count: number): boolean {
  return socket.text.split("\r\n\r\n").length > count;
}

async function cycle(port: number, url: string, rtpPort: number): Promise<void> {
  const state = { text: "", closed: false };
  const { promise, resolve } = Promise.withResolvers<void>();
  const check = () => (state.closed || waitForReplies(state, 1) ? resolve() : undefined);
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_socket, data) {
        state.text += new TextDecoder().decode(data);
        check();
      },
      close() {
        state.closed = true;
        resolve();
      },
      error: () => resolve(),
    },
  });
  socket.write(`SETUP ${url} RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;unicast;client_port=${rtpPort}-${rtpPort + 1}\r\n\r\n`);
  await promise;
  const session = /Session: (\d+)/.exec(state.text)?.[1];
  if (session === undefined) throw new Error(`SETUP failed: ${state.text}`);
  const played = Promise.withResolvers<void>();
  const waitPlay = setInterval(() => (state.closed || waitForReplies(state, 2) ? played.resolve() : undefined), 1);
  socket.write(`PLAY ${url} RTSP/1.0\r\nCSeq: 2\r\nSession: ${session}\r\n\r\n`);
  await played.promise;
  clearInterval(waitPlay);
  if (!/^RTSP\/1.0 200/m.test(state.text.split("\r\n\r\n")[1] ?? "")) throw new Error(`PLAY failed: ${state.text}`);
  socket.end();
}

describe("soak", () => {
  test(
    "10,000 connect/SETUP/PLAY/disconnect cycles leave no session and an idle CPU",
    async () => {
      const server = await startServerProcess([movie, "--fps", "100"]);
      const [rtp, rtcp] = await openReceiverPair();
      try {
        const url = `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`;
        let started = 0;
        await Promise.all(
          Array.from({ length: WORKERS }, async () => {
            while (started < CYCLES) {
              started++;
              await cycle(server.port, url, rtp.port);
            }
          }),
        );
        await waitFor(() => server.openSessions() === 0, "every session to end", 5000);
        expect(server.log().match(/\) set up$/gm)?.length).toBe(CYCLES);
        const packets = rtp.packets.length;
        // A second to settle (sockets closing, garbage collected), then the quietest of a few seconds measured.
        await Bun.sleep(1000);
        const windows: number[] = [];
        while (windows.length < IDLE_WINDOWS && !windows.some((ticks) => ticks <= IDLE_TICKS)) {
          const before = server.cpuTicks();
          await Bun.sleep(1000);
          windows.push(server.cpuTicks() - before);
        }
        expect(Math.min(...windows)).toBeLessThanOrEqual(IDLE_TICKS);
        expect(rtp.packets.length).toBe(packets);
        expect(server.child.exitCode).toBeNull();
      } finally {
        rtp.close();
        rtcp.close();
        await server.stop();
      }
    },
    60_000,
  );
});

describe("stopping", () => {
  test.each(["SIGTERM", "SIGINT"] as const)(
    "%s: playing sessions get an RTCP BYE, the server exits 0 within a second",
    async (signal) => {
      const server = await startServerProcess([movie, "--fps", "100"]);
      const [rtp, rtcp] = await openReceiverPair();
      const lab = await UdpReceiver.open();
      try {
        const client = await RawClient.connect(server.port);
        const url = `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`;
        const setup = await client.request(`SETUP ${url} RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;unicast;client_port=${rtp.port}-${rtcp.port}\r\n\r\n`);
        const session = setup.header("Session")!.split(";")[0];
        await client.request(`PLAY ${url} RTSP/1.0\r\nCSeq: 2\r\nSession: ${session}\r\n\r\n`);
        const labClient = await RawClient.connect(server.port);
        const labSetup = await labClient.request(`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${lab.port}\n\n`);
        await labClient.request(`PLAY movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: ${labSetup.header("Session")}\n\n`);
        await waitFor(() => rtp.packets.length > 0 && lab.packets.length > 0, "both sessions to play");

        const started = performance.now();
        const code = await server.stop(signal);
        expect(code).toBe(0);
        expect(performance.now() - started).toBeLessThan(1000);
        await waitFor(() => client.closed && labClient.closed, "both connections to close");
        const goodbye = rtcp.packets.map((packet) => decodeRtcp(packet)).flatMap((packets) => (packets instanceof Error ? [] : packets));
        expect(goodbye.some((packet) => packet.type === "bye")).toBe(true);
      } finally {
        rtp.close();
        rtcp.close();
        lab.close();
      }
    },
    20_000,
  );
});
