// Putting the terminal into the player's mode (raw keys, alternate screen, hidden cursor) and back. Restoring is
// idempotent and is also wired to process exit, fatal signals and uncaught errors, so no path out of the player
// leaves a raw, cursorless terminal behind.

export interface TerminalInput {
  setRawMode?(raw: boolean): unknown;
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface TerminalOutput {
  write(text: string): boolean;
  columns?: number;
  rows?: number;
  on(event: "resize", listener: () => void): unknown;
  off(event: "resize", listener: () => void): unknown;
  once(event: "drain", listener: () => void): unknown;
}

const ENTER = "\x1b[?1049h\x1b[?25l\x1b[2J";
/** Colours reset, cursor shown, alternate screen left. */
export const RESTORE_SEQUENCE = "\x1b[0m\x1b[?25h\x1b[?1049l";

export class TerminalMode {
  private entered = false;

  constructor(
    private readonly input: TerminalInput,
    private readonly output: TerminalOutput,
  ) {}

  enter(): void {
    this.entered = true;
    this.input.setRawMode?.(true);
    this.output.write(ENTER);
  }

  /** Safe to call any number of times, from any path. */
  readonly restore = (): void => {
    if (!this.entered) return;
    this.entered = false;
    this.output.write(RESTORE_SEQUENCE);
    this.input.setRawMode?.(false);
  };
}

export type FatalSignal = "SIGINT" | "SIGTERM" | "SIGHUP";
const FATAL_SIGNALS: readonly FatalSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Run `restore` on process exit, on SIGINT/SIGTERM/SIGHUP (then `onSignal`) and on an uncaught error (then report it
 * and exit 1). Returns the function that removes these handlers again.
 */
export function restoreOnProcessEnd(restore: () => void, onSignal: (signal: FatalSignal) => void): () => void {
  const signalHandlers = FATAL_SIGNALS.map((signal) => {
    const handler = () => {
      restore();
      onSignal(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const onFatalError = (error: unknown) => {
    restore();
    console.error(error);
    process.exit(1);
  };
  process.on("exit", restore);
  process.on("uncaughtException", onFatalError);
  process.on("unhandledRejection", onFatalError);
  return () => {
    for (const [signal, handler] of signalHandlers) process.off(signal, handler);
    process.off("exit", restore);
    process.off("uncaughtException", onFatalError);
    process.off("unhandledRejection", onFatalError);
  };
}
