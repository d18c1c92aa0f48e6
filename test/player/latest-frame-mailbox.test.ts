import { expect, test } from "bun:test";
import { LatestFrameMailbox } from "../../lib/player/latest-frame-mailbox.ts";

test("holds only the newest item and counts the ones it replaced", () => {
  const mailbox = new LatestFrameMailbox<number>();
  expect(mailbox.take()).toBeUndefined();
  mailbox.put(1);
  mailbox.put(2);
  mailbox.put(3);
  expect(mailbox.isEmpty).toBe(false);
  expect(mailbox.take()).toBe(3);
  expect(mailbox.isEmpty).toBe(true);
  expect(mailbox.take()).toBeUndefined();
  expect(mailbox.skipped).toBe(2);
});

test("an item taken before the next arrives is not skipped", () => {
  const mailbox = new LatestFrameMailbox<string>();
  for (const item of ["a", "b", "c"]) {
    mailbox.put(item);
    expect(mailbox.take()).toBe(item);
  }
  expect(mailbox.skipped).toBe(0);
});
