import { describe, expect, test } from "bun:test";
import { serializeRequest, serializeResponse, type RtspRequest, type RtspResponse } from "../../lib/rtsp/message.ts";
import { DEFAULT_READER_LIMITS, RtspReader } from "../../lib/rtsp/reader.ts";
import { EVENT_CASES, MESSAGE_CASES } from "./reader-cases.ts";
import {
  errorEvent,
  latin1,
  messageEvent,
  newReader,
  readChunks,
  request,
  response,
  wire,
  withoutReasons,
  type Message,
} from "./wire.ts";

function serialize(message: Message): Uint8Array {
  return "method" in message ? serializeRequest(message as RtspRequest) : serializeResponse(message as RtspResponse);
}

describe("RtspReader wire tables", () => {
  for (const testCase of MESSAGE_CASES) {
    test(`${testCase.kind}: ${testCase.name}`, () => {
      const events = readChunks(testCase.kind, [wire(testCase.wire)]);
      expect(events).toEqual(testCase.messages.map(messageEvent));
      const normalized = testCase.messages.map((message) => latin1(serialize(message))).join("");
      expect(normalized).toBe(testCase.normalized);
      // The normalized form is self-delimiting: it needs no flush.
      const reader = newReader(testCase.kind);
      expect(reader.push(wire(normalized))).toEqual(
        testCase.messages.map((message) =>
          messageEvent(
            "status" in message && message.reason === "" ? { ...message, reason: "OK" } : message,
          ),
        ),
      );
      expect(reader.pending).toBe(false);
    });
  }

  for (const testCase of EVENT_CASES) {
    test(`${testCase.kind}: ${testCase.name}`, () => {
      expect(withoutReasons(readChunks(testCase.kind, [wire(testCase.wire)], testCase.limits))).toEqual(testCase.events);
    });
  }
});

describe("RtspReader chunking", () => {
  const cases = [
    ...MESSAGE_CASES.map(({ name, kind, wire: text }) => ({ name, kind, text, limits: undefined })),
    ...EVENT_CASES.map(({ name, kind, wire: text, limits }) => ({ name, kind, text, limits })),
  ];
  for (const { name, kind, text, limits } of cases) {
    test(`every cut point and byte by byte: ${name}`, () => {
      const bytes = wire(text);
      const whole = readChunks(kind, [bytes], limits);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const split = readChunks(kind, [bytes.subarray(0, cut), bytes.subarray(cut)], limits);
        if (!Bun.deepEquals(split, whole)) expect({ cut, split }).toEqual({ cut, split: whole });
      }
      const oneByOne = readChunks(kind, Array.from(bytes, (byte) => new Uint8Array([byte])), limits);
      expect(oneByOne).toEqual(whole);
    });
  }
});

describe("RtspReader behaviour", () => {
  test("a terminated request is returned by push; an unterminated one waits for flush", () => {
    const reader = new RtspReader<RtspRequest>("request");
    expect(reader.push(wire("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n"))).toHaveLength(1);
    expect(reader.pending).toBe(false);
    expect(reader.push(wire("PLAY movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: 1"))).toEqual([]);
    expect(reader.pending).toBe(true);
    expect(reader.flush()).toEqual([messageEvent(request("PLAY", "movie.Mjpeg", [["CSeq", "2"], ["Session", "1"]]))]);
    expect(reader.pending).toBe(false);
    expect(reader.flush()).toEqual([]);
  });

  test("a partial body or interleaved frame is not pending text and survives flush", () => {
    const reader = new RtspReader<RtspRequest>("request");
    expect(reader.push(wire("ANNOUNCE x RTSP/1.0\r\nContent-Length: 4\r\n\r\nab"))).toEqual([]);
    expect(reader.pending).toBe(false);
    expect(reader.flush()).toEqual([]);
    expect(reader.push(wire("cd$\x00\x00\x02x"))).toEqual([
      messageEvent(request("ANNOUNCE", "x", [["Content-Length", "4"]], "abcd")),
    ]);
    expect(reader.flush()).toEqual([]);
    expect(reader.push(wire("y"))).toEqual([{ type: "interleaved", channel: 0, payload: wire("xy") }]);
  });

  test("an interleaved frame ends an unterminated reply at once, without waiting for flush", () => {
    const reader = new RtspReader<RtspResponse>("response");
    expect(reader.push(wire("RTSP/1.0 200 OK\r\nCSeq: 4\r\n$"))).toEqual([messageEvent(response(200, "OK", [["CSeq", "4"]]))]);
    expect(reader.push(wire("\x00\x00\x01\x80"))).toEqual([{ type: "interleaved", channel: 0, payload: wire("\x80") }]);
  });

  test("after a fatal error the reader ignores everything", () => {
    const reader = new RtspReader<RtspRequest>("request");
    expect(withoutReasons(reader.push(wire("\x00\x01\x02")))).toEqual([errorEvent(400, undefined, true)]);
    expect(reader.push(wire("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n"))).toEqual([]);
    expect(reader.flush()).toEqual([]);
    expect(reader.bufferedBytes).toBe(0);
  });

  test("default limits are 8192 header bytes, 100 headers, 65536 body bytes", () => {
    expect(DEFAULT_READER_LIMITS).toMatchObject({ maxHeaderBytes: 8192, maxHeaders: 100, maxBodyBytes: 65536 });
    const headers = (count: number) => Array.from({ length: count }, (_, index) => `X-${index}: ${index}\r\n`).join("");
    const read = (text: string) => withoutReasons(readChunks("request", [wire(text)]));
    expect(read(`OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n${headers(99)}\r\n`)[0]).toMatchObject({ type: "message" });
    expect(read(`OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n${headers(100)}\r\n`)).toEqual([errorEvent(431, "1")]);
    expect(read(`OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX: ${"x".repeat(8200)}\r\n\r\n`)).toEqual([errorEvent(431, "1")]);
    const body = (length: number) => `ANNOUNCE x RTSP/1.0\r\nCSeq: 2\r\nContent-Length: ${length}\r\n\r\n${"b".repeat(length)}`;
    expect(read(body(65536))[0]).toMatchObject({ type: "message" });
    expect(read(body(65537))).toEqual([errorEvent(413, "2")]);
  });

  test("memory stays bounded by the limits whatever the peer sends", () => {
    const limits = DEFAULT_READER_LIMITS;
    const bound = Math.max(2 * limits.maxHeaderBytes + 1, limits.maxBodyBytes, 4 + 0xffff);
    const floods = [
      `OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n${"X: y\r\n".repeat(50_000)}`,
      `OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX: ${"y".repeat(300_000)}`,
      `OPTIONS rtsp://h/${"a".repeat(300_000)}`,
      `ANNOUNCE x RTSP/1.0\r\nContent-Length: 99999999999\r\n\r\n${"z".repeat(300_000)}`,
    ];
    for (const flood of floods) {
      const reader = new RtspReader<RtspRequest>("request");
      const bytes = wire(flood);
      const events: unknown[] = [];
      for (let offset = 0; offset < bytes.length; offset += 1000) {
        events.push(...reader.push(bytes.subarray(offset, offset + 1000)));
        expect(reader.bufferedBytes).toBeLessThanOrEqual(bound);
      }
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: "error", fatal: false });
    }
  });

  test("a lab run split anywhere: requests complete when the next request line arrives", () => {
    const reader = new RtspReader<RtspRequest>("request");
    expect(reader.push(wire("SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 25000\nPLAY mo"))).toEqual([]);
    expect(reader.push(wire("vie.Mjpeg RTSP/1.0\n"))).toEqual([
      messageEvent(request("SETUP", "movie.Mjpeg", [["CSeq", "1"], ["Transport", "RTP/UDP; client_port= 25000"]])),
    ]);
    expect(reader.pending).toBe(true);
  });
});
