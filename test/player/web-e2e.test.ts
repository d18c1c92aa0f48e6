// The web player for real: our server in this process, the player as a child process, the page in headless
// Chromium (Debian's) driven by playwright-core.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startServer, type RtspServer } from "../../lib/server/server.ts";
import { waitFor } from "./wait-for.ts";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let server: RtspServer;
let browser: BrowserContext;
let profileDir: string;
let player: Bun.Subprocess<"ignore", "pipe", "inherit"> | undefined;

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", fps: 20, maxPacket: 1400, sessionTimeout: 60, verbose: false });
  profileDir = mkdtempSync(join(tmpdir(), "player-chromium-"));
  browser = await chromium.launchPersistentContext(profileDir, { executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
}, 30_000);

afterAll(async () => {
  if (player && player.exitCode === null) player.kill();
  await browser?.close();
  rmSync(profileDir, { recursive: true, force: true });
  await server.stop();
});

/** Starts the web player and returns the address it announces. */
async function startWebPlayer(): Promise<string> {
  const url = `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`;
  player = Bun.spawn([process.execPath, `${import.meta.dir}/play-entry.ts`, "web", url, "0"], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
  const reader = player.stdout.getReader();
  let printed = "";
  while (!/http:\/\/127\.0\.0\.1:\d+\//.test(printed)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`web player ended before announcing its address: ${printed}`);
    printed += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return /http:\/\/127\.0\.0\.1:\d+\//.exec(printed)![0];
}

const frameOf = async (page: Page) => Number(await page.getAttribute("#counter", "data-frame"));
const stateOf = (page: Page) => page.textContent("#state");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test(
  "the page plays, pauses, skips, describes and stops the session on the server",
  async () => {
    const address = await startWebPlayer();
    const page = await browser.newPage();
    await page.goto(address);
    await waitFor(async () => (await stateOf(page)) === "INIT", 5000);

    await page.click("#play");
    await waitFor(async () => (await frameOf(page)) > 5, 10_000);
    expect(await stateOf(page)).toBe("PLAYING");
    // Each frame replaces the image's source; the newest may still be decoding, so wait for a drawn picture.
    await waitFor(async () => (await page.$eval("#video", (img) => (img as HTMLImageElement).naturalWidth)) === 384, 5000);
    expect(await page.textContent("#counter")).toMatch(/^\d+ \/ 500$/);
    expect(server.sessionCount).toBe(1);

    await page.click("#pause");
    await waitFor(async () => (await stateOf(page)) === "PAUSED", 5000);
    await sleep(300);
    const pausedAt = await frameOf(page);
    await sleep(700);
    expect(await frameOf(page)).toBe(pausedAt);

    await page.click("#forward");
    await sleep(300);
    await page.click("#play");
    await waitFor(async () => (await frameOf(page)) !== pausedAt, 5000);
    // Resuming without the skip would show pausedAt + 1 first.
    expect(await frameOf(page)).toBeGreaterThanOrEqual(pausedAt + 20);

    await page.click("#describe");
    await waitFor(async () => ((await page.textContent("#description")) ?? "").includes("m=video"), 5000);
    expect(await page.textContent("#status")).toContain("fps");

    await page.click("#stop");
    await waitFor(async () => (await stateOf(page)) === "STOPPED", 5000);
    await waitFor(() => server.sessionCount === 0, 5000);
    expect(await player!.exited).toBe(0);
  },
  40_000,
);
