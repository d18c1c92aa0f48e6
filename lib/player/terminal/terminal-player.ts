// The terminal front end: video as half-block characters, a status line, keys for the client session's commands.
// Frames go through a one-slot mailbox and are drawn when the event loop is free, so when decoding is slower than
// the stream the newest frame is drawn and the others are counted as skipped.
import { decode } from "jpeg-js";
import type { ReceivedFrame, StatisticsSnapshot } from "../../client/playback-statistics.ts";
import { LatestFrameMailbox } from "../latest-frame-mailbox.ts";
import { PlaybackMonitor } from "../playback-monitor.ts";
import type { PlayerSession } from "../player-session.ts";
import { endSession, runSessionCommand } from "../session-commands.ts";
import { formatStatisticsPanel, formatStatusLine } from "../status-line.ts";
import { downscaleRgba } from "./area-downscale.ts";
import { fitImage } from "./fit-image.ts";
import { renderHalfBlockRows } from "./half-block.ts";
import { parseKeys, type KeyAction } from "./keys.ts";
import { composeScreen, videoAreaRows, type RenderedVideo, type ScreenSize } from "./screen-layout.ts";
import { ScreenDiff } from "./screen-diff.ts";
import { restoreOnProcessEnd, TerminalMode, type FatalSignal, type TerminalInput, type TerminalOutput } from "./terminal-mode.ts";

export interface TerminalPlayerOptions {
  input: TerminalInput;
  output: TerminalOutput;
  /** Press play on start (default true). */
  autoplay?: boolean;
  /** Restore the terminal on process exit, fatal signals and uncaught errors (default true). */
  guardProcess?: boolean;
}

export type PlayerExit = { by: "quit" } | { by: "signal"; signal: FatalSignal };

interface Picture {
  number: number;
  rgba: Uint8Array;
  width: number;
  height: number;
}

type Panel = { kind: "description"; lines: string[] } | { kind: "statistics" };

const STATUS_REFRESH_MS = 500;
const DEFAULT_SIZE: ScreenSize = { columns: 80, rows: 24 };

export function runTerminalPlayer(session: PlayerSession, options: TerminalPlayerOptions): Promise<PlayerExit> {
  return new TerminalPlayer(session, options).run();
}

class TerminalPlayer {
  private readonly mode: TerminalMode;
  private readonly mailbox = new LatestFrameMailbox<ReceivedFrame>();
  private readonly diff = new ScreenDiff();
  private readonly monitor: PlaybackMonitor;
  private picture: Picture | undefined;
  private undecodableFrames = 0;
  private rendered: { picture: Picture; columns: number; rows: number; video: RenderedVideo } | undefined;
  private panel: Panel | undefined;
  private drawScheduled = false;
  private waitingForDrain = false;
  private quitting = false;
  private finish: (exit: PlayerExit) => void = () => {};
  private cleanups: Array<() => void> = [];

  constructor(
    private readonly session: PlayerSession,
    private readonly options: TerminalPlayerOptions,
  ) {
    this.mode = new TerminalMode(options.input, options.output);
    this.monitor = new PlaybackMonitor(session, () => this.scheduleDraw());
  }

  run(): Promise<PlayerExit> {
    const done = new Promise<PlayerExit>((resolve) => (this.finish = resolve));
    const { input, output } = this.options;
    this.mode.enter();
    if (this.options.guardProcess ?? true) {
      this.cleanups.push(restoreOnProcessEnd(this.mode.restore, (signal) => void this.quit({ by: "signal", signal })));
    }
    const onFrame = (frame: ReceivedFrame) => {
      this.mailbox.put(frame);
      this.scheduleDraw();
    };
    const onKeys = (chunk: Buffer | string) => {
      for (const action of parseKeys(chunk.toString())) this.onKey(action);
    };
    const onResize = () => {
      this.diff.invalidate();
      this.scheduleDraw();
    };
    const refresh = setInterval(() => this.scheduleDraw(), STATUS_REFRESH_MS);
    const offFrame = this.session.on("frame", onFrame);
    input.on("data", onKeys);
    input.resume();
    output.on("resize", onResize);
    this.cleanups.push(
      offFrame,
      () => input.off("data", onKeys),
      () => input.pause(),
      () => output.off("resize", onResize),
      () => clearInterval(refresh),
      () => this.monitor.detach(),
    );
    this.scheduleDraw();
    if (this.options.autoplay ?? true) this.command("play");
    return done;
  }

  private onKey(action: KeyAction): void {
    switch (action) {
      case "toggle-play":
        return this.command("toggle-play");
      case "forward":
      case "backward":
      case "restart":
        return this.command(action);
      case "toggle-description":
        return this.toggleDescription();
      case "toggle-statistics":
        this.panel = this.panel?.kind === "statistics" ? undefined : { kind: "statistics" };
        return this.scheduleDraw();
      case "quit":
        return void this.quit({ by: "quit" });
    }
  }

  private command(command: "play" | "toggle-play" | "forward" | "backward" | "restart"): void {
    runSessionCommand(this.session, command).then(
      () => this.scheduleDraw(),
      (error) => this.monitor.reportError(error),
    );
  }

  private toggleDescription(): void {
    if (this.panel?.kind === "description") {
      this.panel = undefined;
      return this.scheduleDraw();
    }
    this.session.describe().then(
      (text) => {
        const lines = text.split(/\r?\n/).filter((line, i, all) => line.trim() !== "" || i < all.length - 1);
        this.panel = { kind: "description", lines: ["─ description (d to close) ─", ...lines] };
        this.scheduleDraw();
      },
      (error) => this.monitor.reportError(error),
    );
  }

  /** Terminal first, so the user has it back at once; then a bounded wait for the server's TEARDOWN reply. */
  private async quit(exit: PlayerExit): Promise<void> {
    if (this.quitting) return;
    this.quitting = true;
    this.mode.restore();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    await endSession(this.session);
    this.finish(exit);
  }

  private scheduleDraw(): void {
    if (this.drawScheduled || this.quitting) return;
    this.drawScheduled = true;
    setImmediate(() => this.draw());
  }

  private draw(): void {
    this.drawScheduled = false;
    if (this.quitting || this.waitingForDrain) return;
    const frame = this.mailbox.take();
    if (frame) this.decode(frame);
    const output = this.diff.update(this.composeScreen());
    if (output !== "" && !this.options.output.write(output)) {
      this.waitingForDrain = true;
      this.options.output.once("drain", () => {
        this.waitingForDrain = false;
        this.scheduleDraw();
      });
    }
  }

  private decode(frame: ReceivedFrame): void {
    try {
      const image = decode(frame.jpeg, { useTArray: true, formatAsRGBA: true });
      this.picture = { number: frame.number, rgba: image.data, width: image.width, height: image.height };
    } catch {
      this.undecodableFrames++;
    }
  }

  private composeScreen(): string[] {
    const size = this.screenSize();
    // One statistics snapshot per draw serves the status line and the panel: it sorts every frame interval so far.
    const status = this.monitor.status(this.picture?.number ?? 0, this.mailbox.skipped + this.undecodableFrames);
    const panelLines = this.panelLines(status.statistics);
    return composeScreen(size, this.renderVideo(size, panelLines.length), panelLines, formatStatusLine(status));
  }

  private renderVideo(size: ScreenSize, panelLineCount: number): RenderedVideo | undefined {
    const picture = this.picture;
    if (!picture) return undefined;
    const fit = fitImage(picture.width, picture.height, size.columns, videoAreaRows(size, panelLineCount));
    const cached = this.rendered;
    if (cached && cached.picture === picture && cached.columns === fit.columns && cached.rows === fit.rows) return cached.video;
    const scaled = downscaleRgba(picture.rgba, picture.width, picture.height, fit.pixelWidth, fit.pixelHeight);
    const video = { lines: renderHalfBlockRows(scaled), columns: fit.columns };
    this.rendered = { picture, columns: fit.columns, rows: fit.rows, video };
    return video;
  }

  private panelLines(statistics: StatisticsSnapshot): string[] {
    if (this.panel?.kind === "description") return this.panel.lines;
    if (this.panel?.kind === "statistics") return formatStatisticsPanel(statistics);
    return [];
  }

  private screenSize(): ScreenSize {
    const { columns, rows } = this.options.output;
    return columns && rows ? { columns, rows } : DEFAULT_SIZE;
  }
}
