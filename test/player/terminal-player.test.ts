import { describe, expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import { encode } from "jpeg-js";
import { SessionState } from "../../lib/client/client-session.ts";
import { UPPER_HALF_BLOCK } from "../../lib/player/terminal/half-block.ts";
import { RESTORE_SEQUENCE, restoreOnProcessEnd } from "../../lib/player/terminal/terminal-mode.ts";
import { runTerminalPlayer, type PlayerExit } from "../../lib/player/terminal/terminal-player.ts";
import { FakeSession } from "./fake-session.ts";

class FakeInput extends EventEmitter {
  readonly rawModes: boolean[] = [];
  setRawMode(raw: boolean): void {
    this.rawModes.push(raw);
  }
  resume(): void {}
  pause(): void {}
  type(bytes: string): void {
    this.emit("data", Buffer.from(bytes));
  }
}

class FakeOutput extends EventEmitter {
  columns = 100;
  rows = 12;
  text = "";
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** A solid-colour JPEG, as a frame of the stream would carry. */
function jpegFrame(width: number, height: number, [r, g, b]: [number, number, number]): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([r, g, b, 255], i);
  return encode({ data, width, height }, 90).data;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

function startPlayer(options: { autoplay?: boolean } = {}) {
  const session = new FakeSession();
  const input = new FakeInput();
  const output = new FakeOutput();
  let exit: PlayerExit | undefined;
  const done = runTerminalPlayer(session, { input, output, autoplay: options.autoplay ?? false, guardProcess: false }).then((e) => {
    exit = e;
    return e;
  });
  return { session, input, output, done, exited: () => exit };
}

/** The last status line drawn (the inverse-video row). */
function lastStatus(text: string): string {
  const all = [...text.matchAll(/\x1b\[7m([^\x1b]*)\x1b\[0m/g)];
  return all.at(-1)?.[1] ?? "";
}

describe("terminal player keys", () => {
  test("space plays, space again pauses", async () => {
    const { session, input, done } = startPlayer();
    input.type(" ");
    await settle();
    expect(session.calls).toEqual(["play"]);
    input.type(" ");
    await settle();
    expect(session.calls).toEqual(["play", "pause"]);
    input.type("q");
    await done;
  });

  test("arrows skip one second of frames either way, r restarts", async () => {
    const { session, input, done } = startPlayer({ autoplay: true });
    await settle();
    input.type("\x1b[C\x1b[Dr");
    await settle();
    expect(session.calls).toEqual(["play", "skip(20)", "skip(-20)", "restart"]);
    input.type("q");
    await done;
  });

  test("q tears the session down, releases it, restores the terminal and ends the player", async () => {
    const { session, input, output, done, exited } = startPlayer({ autoplay: true });
    await settle();
    expect(exited()).toBeUndefined();
    input.type("q");
    expect(await done).toEqual({ by: "quit" });
    expect(session.calls).toEqual(["play", "teardown", "close"]);
    expect(input.rawModes).toEqual([true, false]);
    expect(output.text.endsWith(RESTORE_SEQUENCE)).toBe(true);
    expect(output.text.split(RESTORE_SEQUENCE)).toHaveLength(2);
  });

  test("Ctrl-C quits the same way", async () => {
    const { session, input, done } = startPlayer();
    input.type("\x03");
    expect(await done).toEqual({ by: "quit" });
    expect(session.calls).toEqual(["teardown", "close"]);
  });

  test("a command the session refuses shows its error in the status line", async () => {
    const { session, input, output, done } = startPlayer();
    session.skip = async () => {
      throw new Error("cannot skip in state INIT");
    };
    input.type("\x1b[C");
    await settle();
    expect(lastStatus(output.text)).toContain("error: cannot skip in state INIT");
    input.type("q");
    await done;
  });
});

describe("terminal player drawing", () => {
  test("a frame is drawn as half blocks in its colour with the status line under it", async () => {
    const { session, input, output, done } = startPlayer({ autoplay: true });
    await settle();
    session.push("frame", { number: 7, jpeg: jpegFrame(64, 48, [250, 10, 10]), arrivalMs: performance.now() });
    await settle();
    expect(output.text).toContain(UPPER_HALF_BLOCK);
    // JPEG is lossy: accept any strong red.
    expect(output.text).toMatch(/\x1b\[38;2;2[3-5]\d;\d{1,2};\d{1,2}m/);
    const status = lastStatus(output.text);
    expect(status).toContain("PLAYING");
    expect(status).toContain("frame 7 / 100");
    // 100x12 terminal, 11 rows for video: 64x48 fits as 29 columns x 11 rows, centred with 35 spaces.
    const videoRow = output.text.split("\x1b[1;1H").at(-1) ?? "";
    expect(videoRow.startsWith(" ".repeat(35) + "\x1b[38;2;")).toBe(true);
    expect(videoRow.split("\x1b[K")[0].split(UPPER_HALF_BLOCK)).toHaveLength(30);
    input.type("q");
    await done;
  });

  test("frames that arrive while the display is busy are replaced, not queued, and counted as skipped", async () => {
    const { session, input, output, done } = startPlayer({ autoplay: true });
    await settle();
    const jpeg = jpegFrame(32, 24, [0, 0, 255]);
    for (let number = 1; number <= 5; number++) session.push("frame", { number, jpeg, arrivalMs: performance.now() });
    await settle();
    const status = lastStatus(output.text);
    expect(status).toContain("frame 5 / 100");
    expect(status).toContain("skipped 4");
    input.type("q");
    await done;
  });

  test("a resize fits the picture to the new size and redraws every row", async () => {
    const { session, input, output, done } = startPlayer({ autoplay: true });
    await settle();
    session.push("frame", { number: 1, jpeg: jpegFrame(64, 48, [0, 200, 0]), arrivalMs: performance.now() });
    await settle();
    output.text = "";
    output.columns = 20;
    output.rows = 8;
    output.emit("resize");
    await settle();
    for (let row = 1; row <= 8; row++) expect(output.text).toContain(`\x1b[${row};1H`);
    // 7 video rows: 64x48 → 19 columns x 7 rows (14 pixel rows); nothing drawn on row 9 or below.
    expect(output.text).not.toContain("\x1b[9;1H");
    const firstRow = output.text.split("\x1b[1;1H")[1].split("\x1b[K")[0];
    expect(firstRow.split(UPPER_HALF_BLOCK)).toHaveLength(20);
    input.type("q");
    await done;
  });

  test("d shows the server's description, s the statistics, each toggled off again", async () => {
    const { session, input, output, done } = startPlayer();
    input.type("d");
    await settle();
    expect(session.calls).toEqual(["describe"]);
    expect(output.text).toContain("s=fake movie");
    input.type("s");
    await settle();
    expect(output.text).toContain("packets received 10 of 10");
    output.text = "";
    input.type("s");
    await settle();
    expect(output.text).not.toContain("packets received");
    expect(output.text).toContain("\x1b[K");
    input.type("q");
    await done;
  });

  test("paused after playing reads PAUSED; a session error is shown", async () => {
    const { session, input, output, done } = startPlayer({ autoplay: true });
    await settle();
    input.type(" ");
    await settle();
    expect(session.state).toBe(SessionState.Ready);
    expect(lastStatus(output.text)).toContain("PAUSED");
    const { ClientError } = await import("../../lib/client/client-error.ts");
    session.push("error", new ClientError("server-gone", "server closed the connection"));
    await settle();
    expect(lastStatus(output.text)).toContain("error: server closed the connection");
    input.type("q");
    await done;
  });
});

test("the end of the stream reads ENDED until frames come again (after a restart)", async () => {
  const { session, input, output, done } = startPlayer({ autoplay: true });
  await settle();
  session.push("end", undefined);
  await settle();
  expect(lastStatus(output.text)).toStartWith(" ENDED");
  input.type("r");
  session.push("frame", { number: 1, jpeg: jpegFrame(16, 16, [9, 9, 9]), arrivalMs: performance.now() });
  await settle();
  expect(session.calls).toEqual(["play", "restart"]);
  expect(lastStatus(output.text)).toStartWith(" PLAYING │ frame 1 / 100");
  input.type("q");
  await done;
});

describe("restoreOnProcessEnd", () => {
  test("a fatal signal restores the terminal, then hands the signal on; dispose removes every handler", () => {
    const before = ["SIGTERM", "SIGINT", "SIGHUP", "exit", "uncaughtException"].map((e) => process.listenerCount(e));
    let restored = 0;
    const signals: string[] = [];
    const dispose = restoreOnProcessEnd(
      () => restored++,
      (signal) => signals.push(signal),
    );
    process.emit("SIGTERM", "SIGTERM");
    expect(restored).toBe(1);
    expect(signals).toEqual(["SIGTERM"]);
    dispose();
    const after = ["SIGTERM", "SIGINT", "SIGHUP", "exit", "uncaughtException"].map((e) => process.listenerCount(e));
    expect(after).toEqual(before);
  });
});
