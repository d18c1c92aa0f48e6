// Ports on 127.0.0.1 for servers and clients started by the bench and the tests, and the wait until `rtsp serve` listens.
import type { Subprocess } from "bun";

/** A port that was free a moment ago (the OS picked it, and the probe let go of it). */
export async function freeTcpPort(): Promise<number> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

/** A UDP port that was free a moment ago, for a client that must name its port before it binds it. */
export async function freeUdpPort(): Promise<number> {
  const socket = await Bun.udpSocket({ hostname: "127.0.0.1" });
  const port = socket.port;
  socket.close();
  return port;
}

export interface ListenerWait {
  timeoutMs: number;
  /** Pause between connection attempts. */
  retryMs: number;
  /** The process meant to listen: its exit ends the wait at once. */
  child?: Subprocess;
  /** Where it listens; default 127.0.0.1. */
  host?: string;
}

/** Resolves once a connection to `host`:`port` succeeds; throws at the deadline or when `child` exits first. */
export async function waitForTcpListener(port: number, { timeoutMs, retryMs, child, host = "127.0.0.1" }: ListenerWait): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child !== undefined && child.exitCode !== null) throw new Error(`rtsp serve exited with code ${child.exitCode} before listening`);
    try {
      const socket = await Bun.connect({ hostname: host, port, socket: { data() {} } });
      socket.end();
      return;
    } catch {
      await Bun.sleep(retryMs);
    }
  }
  throw new Error(`rtsp serve did not listen on ${host}:${port} within ${timeoutMs} ms`);
}
