// The one entry point `rtsp play` calls for an interactive player: the terminal front end or the browser one, both
// driving the same client session.
import type { PlayerSession } from "./player-session.ts";
import { runTerminalPlayer, type PlayerExit } from "./terminal/terminal-player.ts";
import { runWebPlayer, type WebPlayerExit } from "./web/web-player.ts";

export type PlayerUi = "tui" | "web";

export interface RunPlayerOptions {
  /** Web player port on 127.0.0.1; 0 = any free port (default). */
  webPort?: number;
  /** Where the web player announces its address (default: stdout). */
  log?: (line: string) => void;
}

/** Resolves when the user quits (q, Stop) or a fatal signal arrives; the session is torn down and closed by then. */
export function runPlayer(ui: PlayerUi, session: PlayerSession, options: RunPlayerOptions = {}): Promise<PlayerExit | WebPlayerExit> {
  if (ui === "web") return runWebPlayer(session, { port: options.webPort ?? 0, log: options.log ?? console.log });
  return runTerminalPlayer(session, { input: process.stdin, output: process.stdout });
}

/** Exit status for the process after the player: 128 + signal number for a signal, like a shell reports it. */
export function playerExitCode(exit: PlayerExit | WebPlayerExit): number {
  if (exit.by !== "signal") return 0;
  return { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 }[exit.signal];
}
