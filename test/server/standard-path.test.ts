// RFC 2326 clients against a real server, in raw bytes: OPTIONS, DESCRIBE, SETUP over UDP and TCP interleaved,
// PLAY with Range and RTP-Info, RFC 2435 packets that decode to the movie's pixels, RTCP SR and BYE, TEARDOWN.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import jpeg from "jpeg-js";
import { JpegDepacketizer } from "../../lib/rtp/jpeg-depacketizer.ts";
import { decodeRtp, type RtpPacket } from "../../lib/rtp/packet.ts";
import { decodeRtcp, type RtcpPacket } from "../../lib/rtp/rtcp.ts";
import { parseRtpInfo } from "../../lib/rtsp/rtp-info.ts";
import { parseTransport } from "../../lib/rtsp/transport.ts";
import { parseSdp } from "../../lib/sdp/session-description.ts";
import { openReceiverPair, RawClient, startTestServer, waitFor, type RawReply, type TestServer } from "./harness.ts";

const FPS = 100;
const FRAMES = 40;
let served: TestServer;
let url: string;
beforeAll(async () => {
  served = await startTestServer({ fps: FPS, frames: FRAMES, maxPacket: 400 });
  url = `rtsp://127.0.0.1:${served.server.port}/movie.Mjpeg`;
});
afterAll(() => served.close());

function request(method: string, target: string, cseq: number, headers: string[] = []): string {
  return [`${method} ${target} RTSP/1.0`, `CSeq: ${cseq}`, "User-Agent: test", ...headers, "", ""].join("\r\n");
}

function pixels(bytes: Uint8Array): Uint8Array {
  return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true }).data;
}

/** Reassembles frames and checks each one decodes to exactly the source frame its timestamp names. */
function checkFrames(packets: RtpPacket[], firstIndex: number, firstTimestamp: number): number[] {
  const depacketizer = new JpegDepacketizer();
  const indexes: number[] = [];
  for (const packet of packets) {
    for (const result of depacketizer.push(packet)) {
      expect(result.type).toBe("frame");
      if (result.type !== "frame") continue;
      const index = firstIndex + Math.round(((result.timestamp - firstTimestamp) >>> 0) / (90000 / FPS));
      expect(pixels(result.jpeg)).toEqual(pixels(served.movie.frame(index)));
      indexes.push(index);
    }
  }
  return indexes;
}

function rtcpPackets(datagrams: Uint8Array[]): RtcpPacket[] {
  return datagrams.flatMap((datagram) => {
    const packets = decodeRtcp(datagram);
    if (packets instanceof Error) throw packets;
    return packets;
  });
}

function sessionId(reply: RawReply): string {
  const header = reply.header("Session")!;
  expect(header).toMatch(/^\d+;timeout=60$/);
  return header.split(";")[0];
}

describe("standard RTSP 1.0", () => {
  test("OPTIONS lists the public methods", async () => {
    const client = await RawClient.connect(served.server.port);
    try {
      const reply = await client.request(request("OPTIONS", url, 1));
      expect(reply.lines[0]).toBe("RTSP/1.0 200 OK\r");
      expect(reply.header("CSeq")).toBe("1");
      expect(reply.header("Public")).toBe("OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER");
      expect(reply.header("Server")).toStartWith("rtsp/");
    } finally {
      client.close();
    }
  });

  test("DESCRIBE answers SDP with a Content-Base ending in a slash", async () => {
    const client = await RawClient.connect(served.server.port);
    try {
      const reply = await client.request(request("DESCRIBE", url, 2, ["Accept: application/sdp"]));
      expect(reply.status).toBe(200);
      expect(reply.header("Content-Type")).toBe("application/sdp");
      expect(reply.header("Content-Base")).toBe(`${url}/`);
      const sdp = parseSdp(reply.body);
      expect(sdp.range).toEqual({ start: 0, end: FRAMES / FPS });
      expect(sdp.media).toHaveLength(1);
      expect(sdp.media[0]).toMatchObject({ type: "video", protocol: "RTP/AVP", formats: [26], control: "track1", framerate: FPS });
      expect(sdp.media[0].rtpmap).toEqual([{ payloadType: 26, encoding: "JPEG", clockRate: 90000 }]);
    } finally {
      client.close();
    }
  });

  test("UDP: SETUP, PLAY from npt=0.1, every frame's pixels, RTCP SR and BYE, TEARDOWN", async () => {
    const [rtp, rtcp] = await openReceiverPair();
    const client = await RawClient.connect(served.server.port);
    try {
      const setup = await client.request(
        request("SETUP", `${url}/track1`, 1, [`Transport: RTP/AVP;unicast;client_port=${rtp.port}-${rtcp.port}`]),
      );
      expect(setup.status).toBe(200);
      const session = sessionId(setup);
      const [transport] = parseTransport(setup.header("Transport")!);
      expect(transport.clientPort).toEqual([rtp.port, rtcp.port]);
      const [serverRtp, serverRtcp] = transport.serverPort!;
      expect(serverRtp % 2).toBe(0);
      expect(serverRtcp).toBe(serverRtp + 1);
      expect(transport.ssrc).toBeNumber();

      const play = await client.request(request("PLAY", `${url}/`, 2, [`Session: ${session}`, "Range: npt=0.1-"]));
      expect(play.status).toBe(200);
      expect(play.header("Range")).toMatch(/^npt=0\.1-0\.4$/);
      const [info] = parseRtpInfo(play.header("RTP-Info")!);
      expect(info.url).toBe(`${url}/track1`);

      await waitFor(() => rtcpPackets(rtcp.packets).some((packet) => packet.type === "bye"), "RTCP BYE at the end of the movie");
      // The BYE holds back a quarter second, so it cannot overtake the last frame's packets at a busy receiver.
      const byeIndex = rtcp.packets.findIndex((datagram) => rtcpPackets([datagram]).some((packet) => packet.type === "bye"));
      expect(rtcp.arrivals[byeIndex] - rtp.arrivals.at(-1)!).toBeGreaterThanOrEqual(240);
      const packets = rtp.packets.map((datagram) => decodeRtp(datagram) as RtpPacket);
      expect(packets[0].sequenceNumber).toBe(info.seq!);
      expect(packets[0].timestamp).toBe(info.rtptime!);
      packets.forEach((packet, i) => {
        expect(packet.ssrc).toBe(transport.ssrc!);
        expect(packet.payloadType).toBe(26);
        expect(packet.sequenceNumber).toBe((info.seq! + i) & 0xffff);
      });
      expect(checkFrames(packets, 10, info.rtptime!)).toEqual(Array.from({ length: FRAMES - 10 }, (_, i) => 10 + i));

      const reports = rtcpPackets(rtcp.packets);
      const report = reports.find((packet) => packet.type === "sr");
      expect(report).toMatchObject({ type: "sr", ssrc: transport.ssrc });
      const last = reports.filter((packet) => packet.type === "sr").at(-1);
      expect(last).toMatchObject({ packetCount: packets.length });

      const teardown = await client.request(request("TEARDOWN", `${url}/`, 3, [`Session: ${session}`]));
      expect(teardown.status).toBe(200);
      await waitFor(() => served.server.sessionCount === 0, "the session to end");
    } finally {
      client.close();
      rtp.close();
      rtcp.close();
    }
  });

  test("TCP interleaved: RTP on channel 0, RTCP on channel 1, PAUSE and resume without Range", async () => {
    const client = await RawClient.connect(served.server.port);
    try {
      const setup = await client.request(request("SETUP", `${url}/track1`, 1, ["Transport: RTP/AVP/TCP;unicast;interleaved=0-1"]));
      expect(setup.status).toBe(200);
      const session = sessionId(setup);
      const [transport] = parseTransport(setup.header("Transport")!);
      expect(transport).toMatchObject({ lowerTransport: "TCP", interleaved: [0, 1] });

      const play = await client.request(request("PLAY", `${url}/`, 2, [`Session: ${session}`]));
      const [info] = parseRtpInfo(play.header("RTP-Info")!);
      const rtpPackets = () => client.interleaved.filter((frame) => frame.channel === 0).map((frame) => decodeRtp(frame.payload) as RtpPacket);
      await waitFor(() => rtpPackets().some((packet) => packet.marker), "a first frame");
      const pause = await client.request(request("PAUSE", `${url}/`, 3, [`Session: ${session}`]));
      expect(pause.status).toBe(200);
      const paused = client.interleaved.length;
      await Bun.sleep(60);
      expect(client.interleaved.length).toBe(paused);

      const resume = await client.request(request("PLAY", `${url}/`, 4, [`Session: ${session}`]));
      expect(resume.status).toBe(200);
      await waitFor(() => client.interleaved.some((frame) => frame.channel === 1 && rtcpPackets([frame.payload]).some((p) => p.type === "bye")), "RTCP BYE");
      expect(checkFrames(rtpPackets(), 0, info.rtptime!)).toEqual(Array.from({ length: FRAMES }, (_, i) => i));
      expect(rtcpPackets(client.interleaved.filter((frame) => frame.channel === 1).map((frame) => frame.payload)).some((p) => p.type === "sr")).toBe(true);

      const teardown = await client.request(request("TEARDOWN", `${url}/`, 5, [`Session: ${session}`]));
      expect(teardown.status).toBe(200);
    } finally {
      client.close();
    }
  });

  test("PLAY with a Range past the end is 457 and GET_PARAMETER keeps the session", async () => {
    const client = await RawClient.connect(served.server.port);
    try {
      const session = sessionId(await client.request(request("SETUP", `${url}/track1`, 1, ["Transport: RTP/AVP/TCP;unicast;interleaved=0-1"])));
      expect((await client.request(request("PLAY", `${url}/`, 2, [`Session: ${session}`, "Range: npt=99-"]))).status).toBe(457);
      expect((await client.request(request("PLAY", `${url}/`, 3, [`Session: ${session}`, "Range: bytes=1-"]))).status).toBe(457);
      const keepAlive = await client.request(request("GET_PARAMETER", `${url}/`, 4, [`Session: ${session}`]));
      expect([keepAlive.status, sessionId(keepAlive)]).toEqual([200, session]);
    } finally {
      client.close();
    }
  });

  test("a client that disconnects mid-play stops the sending at once", async () => {
    const [rtp, rtcp] = await openReceiverPair();
    const slow = await startTestServer({ fps: 50, frames: 200 });
    const client = await RawClient.connect(slow.server.port);
    try {
      const movieUrl = `rtsp://127.0.0.1:${slow.server.port}/movie.Mjpeg`;
      const setup = await client.request(request("SETUP", `${movieUrl}/track1`, 1, [`Transport: RTP/AVP;unicast;client_port=${rtp.port}-${rtcp.port}`]));
      await client.request(request("PLAY", `${movieUrl}/`, 2, [`Session: ${sessionId(setup)}`]));
      await waitFor(() => rtp.packets.length > 3, "some packets");
      expect(slow.server.sessionCount).toBe(1);
      client.close();
      await waitFor(() => slow.server.sessionCount === 0, "the session to end");
      await Bun.sleep(20);
      const count = rtp.packets.length;
      await Bun.sleep(100);
      expect(rtp.packets.length).toBe(count);
    } finally {
      rtp.close();
      rtcp.close();
      await slow.close();
    }
  });

  test("a session without RTSP or RTCP for the session timeout ends", async () => {
    const [rtp, rtcp] = await openReceiverPair();
    const short = await startTestServer({ sessionTimeout: 1 });
    const client = await RawClient.connect(short.server.port);
    try {
      const movieUrl = `rtsp://127.0.0.1:${short.server.port}/movie.Mjpeg`;
      const setup = await client.request(request("SETUP", `${movieUrl}/track1`, 1, [`Transport: RTP/AVP;unicast;client_port=${rtp.port}-${rtcp.port}`]));
      expect(setup.header("Session")).toMatch(/;timeout=1$/);
      expect(short.server.sessionCount).toBe(1);
      await waitFor(() => short.server.sessionCount === 0, "the session to time out", 5000);
      const after = await client.request(request("PLAY", `${movieUrl}/`, 2, [`Session: ${setup.header("Session")!.split(";")[0]}`]));
      expect(after.status).toBe(454);
    } finally {
      client.close();
      rtp.close();
      rtcp.close();
      await short.close();
    }
  });
});
