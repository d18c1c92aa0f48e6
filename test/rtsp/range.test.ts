import { describe, expect, test } from "bun:test";
import { parseRange, RangeHeaderError, serializeRange, type NptRange } from "../../lib/rtsp/range.ts";

const TABLE: Array<[wire: string, parsed: NptRange, normalized: string]> = [
  ["npt=10-", { start: 10 }, "npt=10-"],
  ["npt=0-25.0", { start: 0, end: 25 }, "npt=0-25"],
  ["npt=0.000-", { start: 0 }, "npt=0-"],
  ["npt=now-", {}, "npt=now-"],
  ["npt=1:02:03.5-", { start: 3723.5 }, "npt=3723.5-"],
  ["npt=00:00:10-0:01:00", { start: 10, end: 60 }, "npt=10-60"],
  ["NPT = 2.5 - 7.25", { start: 2.5, end: 7.25 }, "npt=2.5-7.25"],
  ["npt=5-;time=19970123T143720Z", { start: 5 }, "npt=5-"],
  ["npt=now-30", { end: 30 }, "npt=now-30"],
];

const INVALID = ["", "npt", "npt=", "npt=10", "npt=-25", "smpte=10:07:00-", "clock=19961108T142300Z-", "npt=abc-",
  "npt=1:60:00-", "npt=0:00:60-", "npt=20-10", "npt=-1-", "npt=1e3-"];

describe("Range header", () => {
  for (const [wire, parsed, normalized] of TABLE) {
    test(`parses ${JSON.stringify(wire)}`, () => {
      expect(parseRange(wire)).toEqual(parsed);
      expect(serializeRange(parsed)).toBe(normalized);
      expect(parseRange(normalized)).toEqual(parsed);
    });
  }
  for (const wire of INVALID) {
    test(`rejects ${JSON.stringify(wire)}`, () => {
      expect(() => parseRange(wire)).toThrow(RangeHeaderError);
    });
  }
  test("serializes to millisecond precision", () => {
    expect(serializeRange({ start: 1 / 3, end: 2 / 3 })).toBe("npt=0.333-0.667");
  });
});
