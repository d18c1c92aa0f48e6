import { describe, expect, test } from "bun:test";
import { parseRtpInfo, RtpInfoError, serializeRtpInfo, type RtpInfoEntry } from "../../lib/rtsp/rtp-info.ts";

const TABLE: Array<[wire: string, parsed: RtpInfoEntry[], normalized: string]> = [
  ["url=rtsp://x/track1;seq=123;rtptime=456", [{ url: "rtsp://x/track1", seq: 123, rtptime: 456 }], "url=rtsp://x/track1;seq=123;rtptime=456"],
  [
    "url=rtsp://x/track1;seq=123;rtptime=456, url=rtsp://x/track2;seq=7",
    [{ url: "rtsp://x/track1", seq: 123, rtptime: 456 }, { url: "rtsp://x/track2", seq: 7 }],
    "url=rtsp://x/track1;seq=123;rtptime=456, url=rtsp://x/track2;seq=7",
  ],
  [
    "url=\"rtsp://127.0.0.1:8554/movie/streamid=0\";seq=65535;rtptime=4294967295;ssrc=1234",
    [{ url: "rtsp://127.0.0.1:8554/movie/streamid=0", seq: 65535, rtptime: 4294967295 }],
    "url=rtsp://127.0.0.1:8554/movie/streamid=0;seq=65535;rtptime=4294967295",
  ],
  ["url=movie.Mjpeg", [{ url: "movie.Mjpeg" }], "url=movie.Mjpeg"],
];

describe("RTP-Info header", () => {
  for (const [wire, parsed, normalized] of TABLE) {
    test(`parses ${JSON.stringify(wire)}`, () => {
      expect(parseRtpInfo(wire)).toEqual(parsed);
      expect(serializeRtpInfo(parsed)).toBe(normalized);
      expect(parseRtpInfo(normalized)).toEqual(parsed);
    });
  }
  for (const wire of ["", "seq=1", "url=;seq=1", "url=a;seq=65536", "url=a;rtptime=4294967296", "url=a;seq=x", "url=a, "]) {
    test(`rejects ${JSON.stringify(wire)}`, () => {
      expect(() => parseRtpInfo(wire)).toThrow(RtpInfoError);
    });
  }
});
