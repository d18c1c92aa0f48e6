import { expect, test } from "bun:test";
import { BROWSER_COMMANDS, encodeFrameMessage, parseBrowserCommand } from "../../lib/player/web/live-messages.ts";

test("a frame message is the frame number, big endian, then the JPEG", () => {
  const message = encodeFrameMessage(0x01020304, Uint8Array.of(0xff, 0xd8, 0xff, 0xd9));
  expect([...message]).toEqual([1, 2, 3, 4, 0xff, 0xd8, 0xff, 0xd9]);
});

test.each(BROWSER_COMMANDS.map((command) => [command]))("command %s is accepted", (command) => {
  expect(parseBrowserCommand(JSON.stringify({ command }))).toBe(command);
});

test.each([["not json"], ["{}"], ['{"command":"teardown"}'], ['{"command":["play"]}'], ["null"], ['"play"']])(
  "anything else is ignored: %s",
  (text) => {
    expect(parseBrowserCommand(text)).toBeNull();
  },
);
