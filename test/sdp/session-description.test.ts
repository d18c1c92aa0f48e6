import { describe, expect, test } from "bun:test";
import { SdpError, buildJpegSdp, formatSdp, parseSdp, type SessionDescription } from "../../lib/sdp/session-description.ts";
import { seededRandom } from "../rtp/seeded-random.ts";

const ours = buildJpegSdp({
  sessionId: "42",
  serverAddress: "127.0.0.1",
  name: "movie.Mjpeg",
  framerate: 20,
  durationSeconds: 25,
  width: 384,
  height: 288,
});

test("buildJpegSdp writes the JPEG description line by line with CRLF endings", () => {
  expect(ours).toBe(
    [
      "v=0",
      "o=- 42 1 IN IP4 127.0.0.1",
      "s=movie.Mjpeg",
      "c=IN IP4 0.0.0.0",
      "t=0 0",
      "a=control:*",
      "a=range:npt=0-25",
      "m=video 0 RTP/AVP 26",
      "a=rtpmap:26 JPEG/90000",
      "a=framerate:20",
      "a=cliprect:0,0,288,384",
      "a=x-dimensions:384,288",
      "a=control:track1",
      "",
    ].join("\r\n"),
  );
});

test("buildJpegSdp: fractional values, live streams, unknown size, names with line breaks", () => {
  const text = buildJpegSdp({
    sessionId: "7",
    serverAddress: "10.0.0.1",
    name: "two\r\nlines",
    framerate: 29.97,
    durationSeconds: 0,
    width: 0,
    height: 0,
  });
  expect(text.split("\r\n")).toEqual([
    "v=0",
    "o=- 7 1 IN IP4 10.0.0.1",
    "s=two lines",
    "c=IN IP4 0.0.0.0",
    "t=0 0",
    "a=control:*",
    "a=range:npt=0-",
    "m=video 0 RTP/AVP 26",
    "a=rtpmap:26 JPEG/90000",
    "a=framerate:29.97",
    "a=control:track1",
    "",
  ]);
  expect(buildJpegSdp({ sessionId: "1", serverAddress: "::1", name: "", framerate: 20, durationSeconds: 24.95, width: 8, height: 8 })).toContain(
    "a=range:npt=0-24.95\r\n",
  );
});

test("what buildJpegSdp writes, parseSdp reads", () => {
  const parsed = parseSdp(ours);
  expect(parsed.origin).toBe("- 42 1 IN IP4 127.0.0.1");
  expect(parsed.sessionName).toBe("movie.Mjpeg");
  expect(parsed.control).toBe("*");
  expect(parsed.range).toEqual({ start: 0, end: 25 });
  expect(parsed.media).toHaveLength(1);
  expect(parsed.media[0]).toMatchObject({
    type: "video",
    port: 0,
    protocol: "RTP/AVP",
    formats: [26],
    control: "track1",
    framerate: 20,
    rtpmap: [{ payloadType: 26, encoding: "JPEG", clockRate: 90000 }],
  });
  expect(formatSdp(parsed)).toBe(ours);
});

const gstreamer = [
  "v=0",
  "o=- 1188340656180883 1 IN IP4 127.0.0.1",
  "s=Session streamed with GStreamer",
  "i=rtsp-server",
  "t=0 0",
  "a=tool:GStreamer",
  "a=type:broadcast",
  "a=range:npt=now-",
  "a=control:rtsp://127.0.0.1:8554/test",
  "m=video 0 RTP/AVP 26",
  "c=IN IP4 0.0.0.0",
  "a=rtpmap:26 JPEG/90000",
  "a=framerate:20",
  "a=ts-refclk:local",
  "a=mediaclk:sender",
  "a=control:rtsp://127.0.0.1:8554/test/stream=0",
  "",
].join("\r\n");

const ffmpeg = [
  "v=0",
  "o=- 0 0 IN IP4 127.0.0.1",
  "s=No Name",
  "c=IN IP4 127.0.0.1",
  "t=0 0",
  "a=tool:libavformat 59.27.100",
  "m=video 0 RTP/AVP 26",
  "a=control:streamid=0",
  "",
].join("\n");

const live555 = [
  "v=0",
  "o=- 1680000000000000 1 IN IP4 192.168.1.10",
  's=Session streamed by "testOnDemandRTSPServer"',
  "i=mjpeg",
  "t=0 0",
  "a=tool:LIVE555 Streaming Media v2023.01.19",
  "a=type:broadcast",
  "a=control:*",
  "a=range:npt=0.000-12.500",
  'a=x-qt-text-nam:Session streamed by "testOnDemandRTSPServer"',
  "a=x-qt-text-inf:mjpeg",
  "m=video 0 RTP/AVP 26",
  "c=IN IP4 0.0.0.0",
  "b=AS:500",
  "a=recvonly",
  "a=control:track1",
  "m=audio 5004/2 RTP/AVP 0 97",
  "a=rtpmap:97 MPEG4-GENERIC/44100/2",
  "a=control:track2",
  "",
].join("\r\n");

describe("parseSdp reads real servers", () => {
  const cases: { name: string; text: string; expected: SessionDescription }[] = [
    {
      name: "GStreamer rtsp-server",
      text: gstreamer,
      expected: {
        origin: "- 1188340656180883 1 IN IP4 127.0.0.1",
        sessionName: "Session streamed with GStreamer",
        control: "rtsp://127.0.0.1:8554/test",
        range: { start: 0 },
        attributes: [
          ["tool", "GStreamer"],
          ["type", "broadcast"],
          ["range", "npt=now-"],
          ["control", "rtsp://127.0.0.1:8554/test"],
        ],
        otherLines: [
          ["i", "rtsp-server"],
          ["t", "0 0"],
        ],
        media: [
          {
            type: "video",
            port: 0,
            protocol: "RTP/AVP",
            formats: [26],
            control: "rtsp://127.0.0.1:8554/test/stream=0",
            framerate: 20,
            rtpmap: [{ payloadType: 26, encoding: "JPEG", clockRate: 90000 }],
            attributes: [
              ["rtpmap", "26 JPEG/90000"],
              ["framerate", "20"],
              ["ts-refclk", "local"],
              ["mediaclk", "sender"],
              ["control", "rtsp://127.0.0.1:8554/test/stream=0"],
            ],
            otherLines: [["c", "IN IP4 0.0.0.0"]],
          },
        ],
      },
    },
    {
      name: "ffmpeg (LF endings, no rtpmap for a static payload type)",
      text: ffmpeg,
      expected: {
        origin: "- 0 0 IN IP4 127.0.0.1",
        sessionName: "No Name",
        attributes: [["tool", "libavformat 59.27.100"]],
        otherLines: [
          ["c", "IN IP4 127.0.0.1"],
          ["t", "0 0"],
        ],
        media: [
          {
            type: "video",
            port: 0,
            protocol: "RTP/AVP",
            formats: [26],
            control: "streamid=0",
            rtpmap: [],
            attributes: [["control", "streamid=0"]],
            otherLines: [],
          },
        ],
      },
    },
    {
      name: "live555 (two media, a flag attribute, a port count)",
      text: live555,
      expected: {
        origin: "- 1680000000000000 1 IN IP4 192.168.1.10",
        sessionName: 'Session streamed by "testOnDemandRTSPServer"',
        control: "*",
        range: { start: 0, end: 12.5 },
        attributes: [
          ["tool", "LIVE555 Streaming Media v2023.01.19"],
          ["type", "broadcast"],
          ["control", "*"],
          ["range", "npt=0.000-12.500"],
          ["x-qt-text-nam", 'Session streamed by "testOnDemandRTSPServer"'],
          ["x-qt-text-inf", "mjpeg"],
        ],
        otherLines: [
          ["i", "mjpeg"],
          ["t", "0 0"],
        ],
        media: [
          {
            type: "video",
            port: 0,
            protocol: "RTP/AVP",
            formats: [26],
            control: "track1",
            rtpmap: [],
            attributes: [
              ["recvonly", undefined],
              ["control", "track1"],
            ],
            otherLines: [
              ["c", "IN IP4 0.0.0.0"],
              ["b", "AS:500"],
            ],
          },
          {
            type: "audio",
            port: 5004,
            protocol: "RTP/AVP",
            formats: [0, 97],
            control: "track2",
            rtpmap: [{ payloadType: 97, encoding: "MPEG4-GENERIC", clockRate: 44100 }],
            attributes: [
              ["rtpmap", "97 MPEG4-GENERIC/44100/2"],
              ["control", "track2"],
            ],
            otherLines: [],
          },
        ],
      },
    },
  ];
  for (const entry of cases) {
    test(entry.name, () => {
      const parsed = parseSdp(entry.text);
      expect(parsed).toEqual(entry.expected);
      const normalized = formatSdp(parsed);
      expect(normalized).toBe(entry.text.replace(/\r?\n/g, "\r\n").replace("m=audio 5004/2", "m=audio 5004"));
      expect(parseSdp(normalized)).toEqual(entry.expected);
    });
  }
});

test("parseSdp tolerates blank lines, trailing spaces and a trailing NUL", () => {
  const parsed = parseSdp("v=0  \n\ns=x\r\nm=video 0 RTP/AVP 26 \r\na=control:track1\0");
  expect(parsed.sessionName).toBe("x");
  expect(parsed.media[0].control).toBe("track1");
});

describe("parseSdp names the line it cannot read", () => {
  const bad: [string, string, RegExp][] = [
    ["version 1", "v=1\r\ns=x\r\n", /line 1 "v=1".*version/],
    ["m= with too few fields", "v=0\r\nm=video 0\r\n", /line 2 "m=video 0"/],
    ["m= with a port that is not a number", "v=0\nm=video x RTP/AVP 26\n", /port "x"/],
    ["m= with a port out of range", "v=0\nm=video 70000 RTP/AVP 26\n", /port "70000"/],
    ["m= with a payload type that is not a number", "v=0\nm=video 0 RTP/AVP jpeg\n", /format "jpeg"/],
    ["a line without =", "v=0\r\nhello\r\n", /line 2 "hello"/],
  ];
  for (const [name, text, message] of bad) {
    test(name, () => {
      expect(() => parseSdp(text)).toThrow(SdpError);
      expect(() => parseSdp(text)).toThrow(message);
    });
  }
});

test("fuzz: parseSdp throws nothing but SdpError", () => {
  const random = seededRandom(4566);
  const seeds = [ours, gstreamer, ffmpeg, live555];
  const alphabet = "v=0ms am:/- \r\n\0RTPAV26x.";
  for (let i = 0; i < 3000; i++) {
    const source = seeds[i % seeds.length];
    let text = source.slice(0, Math.floor(random() * (source.length + 1)));
    const edits = Math.floor(random() * 6);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * (text.length + 1));
      const insert = alphabet[Math.floor(random() * alphabet.length)];
      text = text.slice(0, at) + insert + text.slice(at + (random() < 0.5 ? 1 : 0));
    }
    try {
      parseSdp(text);
    } catch (error) {
      expect(error).toBeInstanceOf(SdpError);
    }
  }
});
