// `rtsp serve` in a separate process, so the server's CPU and memory are its own and the bench cannot slow it
// by sharing its event loop.
import { resolve } from "node:path";
import type { Subprocess } from "bun";
import { freeTcpPort, waitForTcpListener } from "./loopback-listener.ts";

export interface LocalServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface LocalServerOptions {
  /** Movie file or folder for `rtsp serve`; undefined = the bundled sample. */
  root?: string;
  /** Path of the movie in the URL; the bundled sample is served as movie.Mjpeg. */
  moviePath: string;
}

const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
/** Keep the tail of the server's stderr for the error message when it dies before listening. */
const STDERR_TAIL_BYTES = 4096;

/**
 * How to run `rtsp`: inside the compiled binary the executable is rtsp itself (its entry lives in Bun's embedded
 * file system, /$bunfs/ or B:/~BUN/); from source it is bun running cmd/rtsp.ts.
 */
function rtspCommand(): string[] {
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.includes("~BUN");
  return compiled ? [process.execPath] : [process.execPath, resolve(import.meta.dir, "../../cmd/rtsp.ts")];
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const port = await freeTcpPort();
  const args = [...rtspCommand(), "serve", "--port", String(port)];
  if (options.root) args.push(options.root);
  const child = Bun.spawn(args, { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const stderr = collectTail(child.stderr);
  try {
    await waitForTcpListener(port, { timeoutMs: READY_TIMEOUT_MS, retryMs: 50, child });
  } catch (error) {
    child.kill("SIGKILL");
    await child.exited;
    throw new Error(`${(error as Error).message}\n${await stderr}`.trim());
  }
  return {
    url: `rtsp://127.0.0.1:${port}/${options.moviePath}`,
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: Subprocess): Promise<void> {
  child.kill("SIGINT");
  const stopped = await Promise.race([child.exited.then(() => true), Bun.sleep(STOP_GRACE_MS).then(() => false)]);
  if (!stopped) {
    child.kill("SIGKILL");
    await child.exited;
  }
}

async function collectTail(stream: ReadableStream<Uint8Array>): Promise<string> {
  let tail = "";
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return tail;
    tail = (tail + decoder.decode(value, { stream: true })).slice(-STDERR_TAIL_BYTES);
  }
}
