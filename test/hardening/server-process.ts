// `rtsp serve` as a child process, so its memory (RSS) and CPU time can be read from /proc like any server's.
import type { Subprocess } from "bun";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const REPO = join(import.meta.dir, "../..");
const START_TIMEOUT_MS = 10_000;

export interface ServerProcess {
  pid: number;
  port: number;
  /** Resident set size, bytes. */
  rss(): number;
  /** User + system CPU time, clock ticks (/proc/<pid>/stat utime + stime). */
  cpuTicks(): number;
  /** Everything logged on stderr so far. */
  log(): string;
  /** Sessions set up minus sessions ended, from the log. */
  openSessions(): number;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: "SIGTERM" | "SIGINT"): Promise<number>;
  child: Subprocess;
}

export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  const child = Bun.spawn(["bun", "cmd/rtsp.ts", "serve", "--port", "0", "--host", "127.0.0.1", ...args], {
    cwd: REPO,
    // Under a test runner consola logs warnings only: the session lines (info, on stdout) are what openSessions() counts.
    env: { ...process.env, CONSOLA_LEVEL: "3" },
    stdout: "pipe",
    stderr: "ignore",
  });
  let log = "";
  const { promise: started, resolve, reject } = Promise.withResolvers<number>();
  const deadline = setTimeout(() => reject(new Error(`rtsp serve did not start: ${log}`)), START_TIMEOUT_MS);
  void (async () => {
    const decoder = new TextDecoder();
    const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      log += decoder.decode(read.value, { stream: true });
      const match = /Serving on port (\d+)/.exec(log);
      if (match) resolve(Number(match[1]));
    }
    reject(new Error(`rtsp serve exited: ${log}`));
  })();
  const port = await started.finally(() => clearTimeout(deadline));
  const pid = child.pid;
  return {
    pid,
    port,
    child,
    log: () => log,
    openSessions: () => count(log, /\) set up$/gm) - count(log, /\) ended \(/gm),
    rss() {
      const pages = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
      return pages * 4096;
    },
    cpuTicks() {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) start at ") "; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return Number(fields[11]) + Number(fields[12]);
    },
    async stop(signal = "SIGTERM") {
      child.kill(signal);
      return child.exited;
    },
  };
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}
