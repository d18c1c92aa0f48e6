import { describe, expect, test } from "bun:test";
import { parseSessionHeader, serializeSessionHeader, SessionHeaderError } from "../../lib/rtsp/session-header.ts";

const TABLE: Array<[wire: string, parsed: { id: string; timeout?: number }, normalized: string]> = [
  ["123456", { id: "123456" }, "123456"],
  ["12345678;timeout=60", { id: "12345678", timeout: 60 }, "12345678;timeout=60"],
  [" 47112344 ; Timeout = 30 ", { id: "47112344", timeout: 30 }, "47112344;timeout=30"],
  ["A3eqwsafq3rFASqew;x=1", { id: "A3eqwsafq3rFASqew" }, "A3eqwsafq3rFASqew"],
];

describe("Session header", () => {
  for (const [wire, parsed, normalized] of TABLE) {
    test(`parses ${JSON.stringify(wire)}`, () => {
      expect(parseSessionHeader(wire)).toEqual(parsed);
      expect(serializeSessionHeader(parsed)).toBe(normalized);
      expect(parseSessionHeader(normalized)).toEqual(parsed);
    });
  }
  for (const wire of ["", ";timeout=60", "12 34", "1234;timeout=", "1234;timeout=-1", "1234;timeout=1.5"]) {
    test(`rejects ${JSON.stringify(wire)}`, () => {
      expect(() => parseSessionHeader(wire)).toThrow(SessionHeaderError);
    });
  }
});
