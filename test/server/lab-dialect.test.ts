// The classic lab client's exact bytes against a real server: reply lines parsed by position, one UDP datagram
// per frame carrying the whole JPEG, sequence number = frame number.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeRtp } from "../../lib/rtp/packet.ts";
import { RawClient, startTestServer, UdpReceiver, waitFor, type RawReply, type TestServer } from "./harness.ts";

let served: TestServer;
beforeAll(async () => {
  served = await startTestServer();
});
afterAll(() => served.close());

/** What the lab's parseRtspReply does: lines[1] → CSeq int, lines[2] → Session int. */
function labParse(reply: RawReply): { status: number; cseq: number; session: number } {
  const toInt = (line: string) => {
    const text = line.split(" ")[1];
    expect(text).toMatch(/^\d+$/);
    return Number.parseInt(text, 10);
  };
  return { status: toInt(reply.lines[0]), cseq: toInt(reply.lines[1]), session: toInt(reply.lines[2]) };
}

/** Frame numbers (RTP sequence numbers) of the datagrams received, after checking each is the movie's frame. */
function checkedFrameNumbers(receiver: UdpReceiver): number[] {
  return receiver.packets.map((datagram) => {
    const packet = decodeRtp(datagram);
    if (packet instanceof Error) throw packet;
    expect(packet.payloadType).toBe(26);
    expect(packet.payload).toEqual(served.movie.frame(packet.sequenceNumber - 1));
    expect(packet.timestamp).toBe(Math.round(((packet.sequenceNumber - 1) * 90000) / 100));
    return packet.sequenceNumber;
  });
}

async function quietFor(receiver: UdpReceiver, ms: number): Promise<void> {
  const before = receiver.packets.length;
  await Bun.sleep(ms);
  expect(receiver.packets.length).toBe(before);
}

describe("lab dialect", () => {
  test("SETUP, PLAY, PAUSE, PLAY, TEARDOWN as the reference client sends them", async () => {
    const receiver = await UdpReceiver.open();
    const client = await RawClient.connect(served.server.port);
    try {
      const setup = await client.request(`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}`);
      const { status, cseq, session } = labParse(setup);
      expect([status, cseq]).toEqual([200, 1]);
      expect(setup.lines[2]).toMatch(/^Session: \d{6}$/);
      expect(setup.text).not.toContain("\r");
      expect(setup.lines[0]).toBe("RTSP/1.0 200 OK");

      const play = await client.request(`PLAY movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: ${session}`);
      expect(labParse(play)).toEqual({ status: 200, cseq: 2, session });
      await waitFor(() => receiver.packets.length >= 5, "the first frames");

      const pause = await client.request(`PAUSE movie.Mjpeg RTSP/1.0\nCSeq: 3\nSession: ${session}`);
      expect(labParse(pause)).toEqual({ status: 200, cseq: 3, session });
      await Bun.sleep(20);
      await quietFor(receiver, 100);
      const pausedAt = receiver.packets.length;
      expect(pausedAt).toBeLessThan(40);

      const resume = await client.request(`PLAY movie.Mjpeg RTSP/1.0\nCSeq: 4\nSession: ${session}`);
      expect(labParse(resume)).toEqual({ status: 200, cseq: 4, session });
      await waitFor(() => receiver.packets.length >= 40, "every frame");
      await quietFor(receiver, 60);
      expect(checkedFrameNumbers(receiver)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

      const teardown = await client.request(`TEARDOWN movie.Mjpeg RTSP/1.0\nCSeq: 5\nSession: ${session}`);
      expect(labParse(teardown)).toEqual({ status: 200, cseq: 5, session });
      await waitFor(() => served.server.sessionCount === 0, "the session to end");
    } finally {
      client.close();
      receiver.close();
    }
  });

  test("RTSP/1.4: Frames is line 4, FORWARD / BACKWARD / RESTART move the frame numbers", async () => {
    const receiver = await UdpReceiver.open();
    const client = await RawClient.connect(served.server.port);
    try {
      const setup = await client.request(`SETUP movie.Mjpeg RTSP/1.4\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}`);
      expect(setup.lines[0]).toBe("RTSP/1.4 200 OK");
      expect(setup.lines[3]).toBe("Frames: 40");
      const { session } = labParse(setup);
      const send = async (method: string, cseq: number) => {
        const reply = await client.request(`${method} movie.Mjpeg RTSP/1.4\nCSeq: ${cseq}\nSession: ${session}`);
        expect(labParse(reply)).toEqual({ status: 200, cseq, session });
        expect(reply.lines[3]).toBe("Frames: 40");
      };
      const lastFrame = () => checkedFrameNumbers(receiver).at(-1)!;

      await send("FORWARD", 2);
      await send("PLAY", 3);
      await waitFor(() => receiver.packets.length >= 1, "a frame");
      await send("PAUSE", 4);
      await Bun.sleep(20);
      expect(checkedFrameNumbers(receiver)[0]).toBe(21);
      const beforeBackward = lastFrame();

      receiver.packets.length = 0;
      await send("BACKWARD", 5);
      await send("PLAY", 6);
      await waitFor(() => receiver.packets.length >= 1, "a frame");
      await send("PAUSE", 7);
      await Bun.sleep(20);
      expect(checkedFrameNumbers(receiver)[0]).toBe(Math.max(1, beforeBackward + 1 - 20));

      receiver.packets.length = 0;
      await send("RESTART", 8);
      await send("PLAY", 9);
      await waitFor(() => receiver.packets.length >= 1, "a frame");
      expect(checkedFrameNumbers(receiver)[0]).toBe(1);
      await send("TEARDOWN", 10);
    } finally {
      client.close();
      receiver.close();
    }
  });

  test("FORWARD past the end and BACKWARD before the start are clamped", async () => {
    const receiver = await UdpReceiver.open();
    const client = await RawClient.connect(served.server.port);
    try {
      const { session } = labParse(await client.request(`SETUP movie.Mjpeg RTSP/1.4\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}`));
      await client.request(`BACKWARD movie.Mjpeg RTSP/1.4\nCSeq: 2\nSession: ${session}`);
      for (let cseq = 3; cseq < 6; cseq++) await client.request(`FORWARD movie.Mjpeg RTSP/1.4\nCSeq: ${cseq}\nSession: ${session}`);
      await client.request(`PLAY movie.Mjpeg RTSP/1.4\nCSeq: 6\nSession: ${session}`);
      await waitFor(() => receiver.packets.length >= 1, "the last frame");
      await Bun.sleep(30);
      expect(checkedFrameNumbers(receiver)).toEqual([40]);
    } finally {
      client.close();
      receiver.close();
    }
  });

  test("DESCRIBE answers the lab's text block after the lab-critical lines", async () => {
    const receiver = await UdpReceiver.open();
    const client = await RawClient.connect(served.server.port);
    try {
      const { session } = labParse(await client.request(`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= ${receiver.port}`));
      const reply = await client.request(`DESCRIBE movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: ${session}`);
      expect(labParse(reply)).toEqual({ status: 200, cseq: 2, session });
      expect(reply.header("Content-Type")).toBe("text/plain");
      const size = (served.movie.info().bytes / (1024 * 1024)).toFixed(2);
      expect(reply.body).toBe(
        [
          "DESCRIPTION",
          "The video file : movie.Mjpeg",
          `Video size = ${size} MB`,
          "Transport protocol :RTP",
          "Version : 1.0",
          `RTP port :${receiver.port}`,
          `StreamID =${session}`,
          'Type of the video : "video/Mjpeg"',
          "Frames : 40",
          "Frame size : 64x48",
          "Frame rate : 100 fps",
          "",
        ].join("\n"),
      );
    } finally {
      client.close();
      receiver.close();
    }
  });
});
