import { describe, expect, test } from "bun:test";
import { composeScreen, fitText, videoAreaRows } from "../../lib/player/terminal/screen-layout.ts";
import { ScreenDiff } from "../../lib/player/terminal/screen-diff.ts";

describe("composeScreen", () => {
  const size = { columns: 10, rows: 6 };

  test("video centred at the top, panel under it, status inverse on the last row", () => {
    const video = { lines: ["AAAA", "BBBB"], columns: 4 };
    const rows = composeScreen(size, video, ["panel one"], "PLAYING 1/2 and more");
    expect(rows).toEqual([
      "   AAAA\x1b[K",
      "   BBBB\x1b[K",
      "\x1b[K",
      "\x1b[K",
      "panel one\x1b[K",
      "\x1b[7mPLAYING 1/\x1b[0m",
    ]);
  });

  test("the panel takes at most half of the screen; the video area shrinks to match", () => {
    expect(videoAreaRows(size, 0)).toBe(5);
    expect(videoAreaRows(size, 2)).toBe(3);
    expect(videoAreaRows(size, 20)).toBe(2);
    const rows = composeScreen(size, undefined, Array.from({ length: 20 }, (_, i) => `line ${i}`), "s");
    expect(rows).toHaveLength(6);
    expect(rows.slice(2, 5)).toEqual(["line 0\x1b[K", "line 1\x1b[K", "line 2\x1b[K"]);
  });

  test("text from outside cannot carry control sequences", () => {
    expect(fitText("a\x1b[2Jb\r\nc", 20)).toBe("a [2Jb  c");
    expect(fitText("ééééé", 3)).toBe("ééé");
  });
});

describe("ScreenDiff", () => {
  test("rewrites only the rows that changed, in one synchronized update", () => {
    const diff = new ScreenDiff();
    expect(diff.update(["a", "b", "c"])).toBe("\x1b[?2026h\x1b[1;1Ha\x1b[2;1Hb\x1b[3;1Hc\x1b[?2026l");
    expect(diff.update(["a", "B", "c"])).toBe("\x1b[?2026h\x1b[2;1HB\x1b[?2026l");
    expect(diff.update(["a", "B", "c"])).toBe("");
  });

  test("after invalidate every row is written again", () => {
    const diff = new ScreenDiff();
    diff.update(["a", "b"]);
    diff.invalidate();
    expect(diff.update(["a", "b"])).toBe("\x1b[?2026h\x1b[1;1Ha\x1b[2;1Hb\x1b[?2026l");
  });
});
