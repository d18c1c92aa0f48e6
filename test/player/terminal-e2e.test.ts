// The terminal player for real: our server in this process, the player in a tmux pane of fixed size, keys typed
// with send-keys and the screen read with capture-pane.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, type RtspServer } from "../../lib/server/server.ts";
import { waitFor } from "./wait-for.ts";

const PANE = { columns: 100, rows: 30 };
const ENTRY = `${import.meta.dir}/play-entry.ts`;
let server: RtspServer;
const tmuxSessions: string[] = [];

function tmux(...args: string[]): string {
  const result = Bun.spawnSync(["tmux", ...args], { stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`tmux ${args[0]}: ${result.stderr.toString()}`);
  return result.stdout.toString();
}

/** Starts the player in a new tmux session; the shell stays behind it so the restored screen can be read. */
function startPlayerPane(dialect: string): string {
  const name = `player-e2e-${process.pid}-${tmuxSessions.length}`;
  tmuxSessions.push(name);
  const url = `rtsp://127.0.0.1:${server.port}/movie.Mjpeg`;
  const command = `${process.execPath} ${ENTRY} tui ${url} 0 ${dialect}; echo EXIT=$?; sleep 120`;
  tmux("new-session", "-d", "-s", name, "-x", String(PANE.columns), "-y", String(PANE.rows), command);
  return name;
}

const screen = (pane: string) => tmux("capture-pane", "-p", "-t", pane);
const statusLine = (pane: string) => screen(pane).trimEnd().split("\n").at(-1) ?? "";
function frameCounter(pane: string): number {
  const match = /frame (\d+) \/ (\d+)/.exec(statusLine(pane));
  return match ? Number(match[1]) : -1;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", fps: 20, maxPacket: 1400, sessionTimeout: 60, verbose: false });
});

afterAll(async () => {
  for (const name of tmuxSessions) Bun.spawnSync(["tmux", "kill-session", "-t", name]);
  await server.stop();
});

describe.each(["rtsp", "lab"])("terminal player in tmux, %s dialect", (dialect) => {
  test(
    "draws frames, pause holds the counter, → skips ahead, q restores the terminal and ends the server session",
    async () => {
      const pane = startPlayerPane(dialect);
      await waitFor(() => statusLine(pane).includes("PLAYING") && frameCounter(pane) > 5, 15_000);
      const picture = screen(pane);
      expect(picture.split("▀").length).toBeGreaterThan(500);
      expect(statusLine(pane)).toContain("/ 500");
      expect(server.sessionCount).toBe(1);

      tmux("send-keys", "-t", pane, "Space");
      await waitFor(() => statusLine(pane).includes("PAUSED"), 5000);
      await sleep(300);
      const pausedAt = frameCounter(pane);
      await sleep(700);
      expect(frameCounter(pane)).toBe(pausedAt);

      tmux("send-keys", "-t", pane, "Right");
      await sleep(300);
      tmux("send-keys", "-t", pane, "Space");
      await waitFor(() => frameCounter(pane) !== pausedAt, 5000);
      // Resuming without the skip would show pausedAt + 1 first.
      expect(frameCounter(pane)).toBeGreaterThanOrEqual(pausedAt + 20);

      tmux("send-keys", "-t", pane, "q");
      await waitFor(() => screen(pane).includes("EXIT="), 5000);
      expect(screen(pane)).toContain("EXIT=0");
      expect(screen(pane)).not.toContain("▀");
      expect(tmux("display-message", "-p", "-t", pane, "#{alternate_on} #{cursor_flag}").trim()).toBe("0 1");
      await waitFor(() => server.sessionCount === 0, 5000);
    },
    40_000,
  );
});

test("SIGTERM to the player restores the terminal too", async () => {
  const pane = startPlayerPane("auto");
  await waitFor(() => statusLine(pane).includes("PLAYING"), 15_000);
  expect(tmux("display-message", "-p", "-t", pane, "#{alternate_on} #{cursor_flag}").trim()).toBe("1 0");
  const shellPid = tmux("display-message", "-p", "-t", pane, "#{pane_pid}").trim();
  const playerPid = Bun.spawnSync(["pgrep", "-P", shellPid]).stdout.toString().trim().split("\n")[0];
  process.kill(Number(playerPid), "SIGTERM");
  await waitFor(() => screen(pane).includes("EXIT="), 5000);
  expect(screen(pane)).toContain("EXIT=143");
  expect(tmux("display-message", "-p", "-t", pane, "#{alternate_on} #{cursor_flag}").trim()).toBe("0 1");
  await waitFor(() => server.sessionCount === 0, 5000);
}, 30_000);
