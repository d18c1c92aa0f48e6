// The browser front end: a local web server with one page and a WebSocket that carries frames and status out and
// button presses in. Each browser has its own one-slot mailbox, so a slow tab gets the newest frame when its socket
// drains instead of a growing backlog.
import type { Server, ServerWebSocket } from "bun";
import type { ReceivedFrame } from "../../client/playback-statistics.ts";
import { LatestFrameMailbox } from "../latest-frame-mailbox.ts";
import { PlaybackMonitor } from "../playback-monitor.ts";
import type { PlayerSession } from "../player-session.ts";
import { endSession, runSessionCommand } from "../session-commands.ts";
import { formatStatisticsPanel, formatStatusLine } from "../status-line.ts";
import type { FatalSignal } from "../terminal/terminal-mode.ts";
import { encodeFrameMessage, parseBrowserCommand, type BrowserCommand, type ServerMessage } from "./live-messages.ts";
import { PLAYER_PAGE } from "./page.ts";

export interface WebPlayerOptions {
  /** 0 = any free port. */
  port: number;
  /** Where the page's address is announced. */
  log: (line: string) => void;
  /** Press play on start (default false: the page's Play button does). */
  autoplay?: boolean;
}

export type WebPlayerExit = { by: "stop" } | { by: "signal"; signal: FatalSignal };

interface Viewer {
  mailbox: LatestFrameMailbox<ReceivedFrame>;
}

/** Above this many unsent bytes a browser is behind: its frames wait in its mailbox. */
const BEHIND_BYTES = 64 * 1024;
const STATUS_REFRESH_MS = 500;
const FATAL_SIGNALS: readonly FatalSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export function runWebPlayer(session: PlayerSession, options: WebPlayerOptions): Promise<WebPlayerExit> {
  return new WebPlayer(session, options).run();
}

class WebPlayer {
  private readonly viewers = new Set<ServerWebSocket<Viewer>>();
  private readonly monitor: PlaybackMonitor;
  private server: Server<Viewer> | undefined;
  private lastFrameNumber = 0;
  private lastStatus = "";
  private stopRequested = false;
  private stopped = false;
  private finish: (exit: WebPlayerExit) => void = () => {};
  private cleanups: Array<() => void> = [];

  constructor(
    private readonly session: PlayerSession,
    private readonly options: WebPlayerOptions,
  ) {
    this.monitor = new PlaybackMonitor(session, () => this.broadcastStatus());
  }

  run(): Promise<WebPlayerExit> {
    const done = new Promise<WebPlayerExit>((resolve) => (this.finish = resolve));
    this.server = Bun.serve<Viewer>({
      hostname: "127.0.0.1",
      port: this.options.port,
      fetch: (request, server) => {
        const path = new URL(request.url).pathname;
        if (path === "/live") {
          return server.upgrade(request, { data: { mailbox: new LatestFrameMailbox<ReceivedFrame>() } })
            ? undefined
            : new Response("WebSocket expected", { status: 400 });
        }
        if (path === "/") return new Response(PLAYER_PAGE, { headers: { "Content-Type": "text/html; charset=utf-8" } });
        return new Response("Not found", { status: 404 });
      },
      websocket: {
        open: (socket) => {
          this.viewers.add(socket);
          this.lastStatus = "";
          this.broadcastStatus();
        },
        message: (socket, message) => {
          const command = typeof message === "string" ? parseBrowserCommand(message) : null;
          if (command) this.onCommand(socket, command);
        },
        drain: (socket) => this.sendLatestFrame(socket),
        close: (socket) => {
          this.viewers.delete(socket);
        },
      },
    });
    this.options.log(`web player: http://127.0.0.1:${this.server.port}/`);
    const offFrame = this.session.on("frame", (frame) => {
      this.lastFrameNumber = frame.number;
      for (const viewer of this.viewers) {
        viewer.data.mailbox.put(frame);
        this.sendLatestFrame(viewer);
      }
    });
    const refresh = setInterval(() => this.broadcastStatus(), STATUS_REFRESH_MS);
    const onSignal = (signal: FatalSignal) => void this.stop({ by: "signal", signal });
    for (const signal of FATAL_SIGNALS) process.on(signal, onSignal);
    this.cleanups.push(
      offFrame,
      () => clearInterval(refresh),
      () => this.monitor.detach(),
      () => FATAL_SIGNALS.forEach((signal) => process.off(signal, onSignal)),
    );
    if (this.options.autoplay) this.command("play");
    return done;
  }

  private onCommand(socket: ServerWebSocket<Viewer>, command: BrowserCommand): void {
    if (command === "stop") return void this.stop({ by: "stop" });
    if (command === "describe") {
      this.session.describe().then(
        (text) => this.send(socket, { type: "description", text }),
        (error) => this.monitor.reportError(error),
      );
      return;
    }
    this.command(command);
  }

  private command(command: "play" | "pause" | "forward" | "backward" | "restart"): void {
    runSessionCommand(this.session, command).then(
      () => this.broadcastStatus(),
      (error) => this.monitor.reportError(error),
    );
  }

  private sendLatestFrame(socket: ServerWebSocket<Viewer>): void {
    if (socket.getBufferedAmount() > BEHIND_BYTES) return;
    const frame = socket.data.mailbox.take();
    if (frame) socket.send(encodeFrameMessage(frame.number, frame.jpeg));
  }

  private broadcastStatus(): void {
    if (this.stopped) return;
    const skipped = [...this.viewers].reduce((total, viewer) => Math.max(total, viewer.data.mailbox.skipped), 0);
    const status = this.monitor.status(this.lastFrameNumber, skipped);
    const message: ServerMessage = {
      type: "status",
      state: status.state,
      totalFrames: status.totalFrames,
      line: formatStatusLine(status),
      statistics: formatStatisticsPanel(status.statistics).slice(1),
    };
    const text = JSON.stringify(message);
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    for (const viewer of this.viewers) viewer.send(text);
  }

  private send(socket: ServerWebSocket<Viewer>, message: ServerMessage): void {
    socket.send(JSON.stringify(message));
  }

  /** TEARDOWN, tell every page, then close the server. */
  private async stop(exit: WebPlayerExit): Promise<void> {
    if (this.stopRequested) return;
    this.stopRequested = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    await endSession(this.session);
    this.monitor.markStopped();
    this.stopped = true;
    for (const viewer of this.viewers) {
      this.send(viewer, { type: "stopped" });
      viewer.close(1000, "stopped");
    }
    await this.server?.stop();
    this.finish(exit);
  }
}
