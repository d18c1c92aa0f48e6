import { describe, expect, test } from "bun:test";
import { parseProcStat, parseVmRssBytes } from "../../lib/bench/proc-stat.ts";

// A real /proc/<pid>/stat line of `bun cmd/rtsp.ts serve`, with utime 1234 and stime 567.
const STAT = "4242 (bun) S 1 4242 4242 0 -1 4194560 8571 0 0 0 1234 567 0 0 20 0 9 0 98765 1234567890 23456 18446744073709551615 1 1 0 0 0 0 0 16781312 17000 0 0 0 17 1 0 0 0 0 0";

describe("parseProcStat", () => {
  test("adds utime (field 14) and stime (field 15)", () => {
    expect(parseProcStat(STAT)).toEqual({ total: 1234 + 567 });
  });

  test("counts fields from the last ')' when the command name holds spaces and parentheses", () => {
    const tricky = STAT.replace("(bun)", "(my (odd) name) )");
    expect(parseProcStat(tricky)).toEqual({ total: 1801 });
  });

  test.each([[""], ["4242 bun S 1"], ["4242 (bun) S 1 2 3"]])("returns an Error for %p", (text) => {
    expect(parseProcStat(text)).toBeInstanceOf(Error);
  });
});

describe("parseVmRssBytes", () => {
  test("reads VmRSS in kB as bytes", () => {
    const status = "Name:\tbun\nVmPeak:\t  999999 kB\nVmRSS:\t   48512 kB\nRssAnon:\t   30000 kB\n";
    expect(parseVmRssBytes(status)).toBe(48512 * 1024);
  });

  test("returns an Error when there is no VmRSS line (a zombie process)", () => {
    expect(parseVmRssBytes("Name:\tbun\nState:\tZ (zombie)\n")).toBeInstanceOf(Error);
  });
});
