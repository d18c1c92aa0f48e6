import { expect, test } from "bun:test";
import { readdirSync, readlinkSync } from "node:fs";
import { warmUpSendPath } from "../../lib/server/send-path-warm-up.ts";

function openSockets(): number {
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith("socket:");
    } catch {
      return false;
    }
  }).length;
}

test.each([true, false])("the startup warm-up closes every socket its throwaway session opened (gso %p)", async (gso) => {
  const before = openSockets();
  await warmUpSendPath(20, gso);
  // Bun closes UDP sockets on the next event-loop turn.
  await Bun.sleep(20);
  expect(openSockets()).toBe(before);
});
