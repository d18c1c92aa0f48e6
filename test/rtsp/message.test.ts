import { describe, expect, test } from "bun:test";
import { getHeader, REASON_PHRASES, serializeRequest, serializeResponse } from "../../lib/rtsp/message.ts";
import { latin1, request, response } from "./wire.ts";

describe("serializeResponse", () => {
  test("lab order and LF endings: CSeq on line 2, Session on line 3, then a blank line", () => {
    const bytes = serializeResponse(response(200, "OK", [["CSeq", "1"], ["Session", "123456"], ["Frames", "500"]]), {
      lineEnding: "\n",
    });
    expect(latin1(bytes)).toBe("RTSP/1.0 200 OK\nCSeq: 1\nSession: 123456\nFrames: 500\n\n");
    const lines = latin1(bytes).split("\n");
    expect(Number(lines[1].split(" ")[1])).toBe(1);
    expect(Number(lines[2].split(" ")[1])).toBe(123456);
  });

  test("adds Content-Length after the given headers when there is a body", () => {
    const bytes = serializeResponse(response(200, "OK", [["CSeq", "2"], ["Content-Type", "application/sdp"]], "v=0\r\n"));
    expect(latin1(bytes)).toBe("RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n");
  });

  test("keeps a Content-Length that is already present, in its place", () => {
    const bytes = serializeResponse(response(200, "OK", [["content-length", "3"], ["CSeq", "2"]], "abc"));
    expect(latin1(bytes)).toBe("RTSP/1.0 200 OK\r\ncontent-length: 3\r\nCSeq: 2\r\n\r\nabc");
  });

  test("fills an empty reason from RFC 2326's table", () => {
    expect(latin1(serializeResponse(response(461, "", [["CSeq", "3"]])))).toBe("RTSP/1.0 461 Unsupported transport\r\nCSeq: 3\r\n\r\n");
    expect(latin1(serializeResponse(response(299, "", [])))).toBe("RTSP/1.0 299 \r\n\r\n");
  });
});

describe("serializeRequest", () => {
  test("standard and lab forms", () => {
    const setup = request("SETUP", "movie.Mjpeg", [["CSeq", "1"], ["Transport", "RTP/UDP; client_port= 25000"]]);
    expect(latin1(serializeRequest(setup))).toBe("SETUP movie.Mjpeg RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/UDP; client_port= 25000\r\n\r\n");
    expect(latin1(serializeRequest(setup, { lineEnding: "\n" }))).toBe(
      "SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 25000\n\n",
    );
  });
});

describe("getHeader and REASON_PHRASES", () => {
  test("header names compare case-insensitively; the first wins", () => {
    const headers: Array<[string, string]> = [["cseq", "4"], ["CSeq", "5"]];
    expect(getHeader(headers, "CSEQ")).toBe("4");
    expect(getHeader(headers, "Session")).toBeUndefined();
  });

  test("covers the statuses the server and reader answer with", () => {
    for (const status of [200, 400, 401, 404, 413, 414, 431, 454, 455, 457, 459, 461, 500, 501, 505]) {
      expect(REASON_PHRASES[status]).toBeString();
    }
  });
});
