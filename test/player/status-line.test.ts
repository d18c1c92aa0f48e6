import { expect, test } from "bun:test";
import { formatBitRate, formatClock, formatStatusLine, type PlaybackStatus } from "../../lib/player/status-line.ts";
import { FakeSession } from "./fake-session.ts";

test.each([
  [0, "0:00.0"],
  [6.15, "0:06.2"],
  [25, "0:25.0"],
  [61.5, "1:01.5"],
] as const)("formatClock(%p) = %p", (seconds, text) => {
  expect(formatClock(seconds)).toBe(text);
});

test("bit rates read in kbit/s below a megabit", () => {
  expect(formatBitRate(640_000)).toBe("640 kbit/s");
  expect(formatBitRate(1_300_000)).toBe("1.30 Mbit/s");
});

test("the status line puts state and error first, then position, time, rate and loss", () => {
  const statistics = new FakeSession().stats();
  statistics.packets = { ...statistics.packets, expected: 200, lost: 3 };
  const status: PlaybackStatus = {
    state: "PLAYING",
    frameNumber: 123,
    totalFrames: 500,
    fps: 20,
    receivedFps: 19.96,
    skippedFrames: 2,
    statistics,
  };
  expect(formatStatusLine(status)).toBe(" PLAYING │ frame 123 / 500 │ 0:06.2 / 0:25.0 │ 20.0 fps │ 1.30 Mbit/s │ loss 1.5% │ skipped 2");
  expect(formatStatusLine({ ...status, totalFrames: null, skippedFrames: 0, error: "gone" })).toBe(
    " PLAYING │ error: gone │ frame 123 / ? │ 0:06.2 / ? │ 20.0 fps │ 1.30 Mbit/s │ loss 1.5%",
  );
});
