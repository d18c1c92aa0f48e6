// `rtsp play` as a process: exit codes, one-line reasons on stderr, quiet parseable stdout, Ctrl-C handling.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freeTcpPort } from "../../lib/bench/loopback-listener.ts";
import type { PlayReport } from "../../lib/client/play.ts";
import { classicFrames } from "../fixtures/classic-movie.ts";
import { startLabServer } from "../client/lab-reference-server.ts";
import { cleanUpAfterEachTest } from "../support/clean-up-after-each-test.ts";

const root = join(import.meta.dir, "../..");
const cleanUp = cleanUpAfterEachTest();

function spawnPlay(args: string[]) {
  return Bun.spawn(["bun", "cmd/rtsp.ts", "play", ...args], { cwd: root, stdout: "pipe", stderr: "pipe" });
}

test("connection refused: exit 1 and one clear line", async () => {
  const port = await freeTcpPort(); // nobody listens there any more
  const child = spawnPlay([`rtsp://127.0.0.1:${port}/movie.Mjpeg`, "--dialect", "lab"]);
  expect(await child.exited).toBe(1);
  expect(await new Response(child.stderr).text()).toBe(`rtsp play: cannot connect to 127.0.0.1:${port}: connection refused\n`);
  expect(await new Response(child.stdout).text()).toBe("");
});

test("a bad flag is a usage error naming the flag", async () => {
  const child = spawnPlay(["--timeout", "soon"]);
  expect(await child.exited).toBe(2);
  expect(await new Response(child.stderr).text()).toContain("--timeout must be a whole number");
});

test("off a TTY a complete run prints only the summary and exits 0", async () => {
  const server = cleanUp.stopAfterTest(await startLabServer({ frames: classicFrames(), framesHeader: true }));
  const child = spawnPlay([`rtsp://127.0.0.1:${server.port}/movie.Mjpeg`, "--dialect", "lab"]);
  expect(await child.exited).toBe(0);
  const stdout = await new Response(child.stdout).text();
  expect(stdout).toContain("frames: 5 of 5, dropped 0");
  expect(stdout).toContain("ended by: complete");
  expect(stdout).not.toContain("\r");
});

test("SIGINT tears down, writes the report and exits 130", async () => {
  const genuine = classicFrames();
  const server = cleanUp.stopAfterTest(await startLabServer({ frames: Array.from({ length: 400 }, (_, i) => genuine[i % genuine.length]) }));
  const work = cleanUp.scratchFolder("rtsp-sigint-");
  const reportPath = join(work, "report.json");
  const child = spawnPlay([`rtsp://127.0.0.1:${server.port}/movie.Mjpeg`, "--dialect", "lab", "--report", reportPath]);
  while (!server.requests.some((r) => r.startsWith("PLAY"))) await Bun.sleep(50);
  await Bun.sleep(500);
  child.kill("SIGINT");
  expect(await child.exited).toBe(130);
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as PlayReport;
  expect(report.endedBy).toBe("interrupted");
  expect(report.framesReceived).toBeGreaterThan(0);
  expect(server.requests.at(-1)).toStartWith("TEARDOWN movie.Mjpeg");
});
