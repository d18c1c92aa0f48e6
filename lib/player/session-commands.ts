// The commands both front ends offer, mapped onto the client session. A skip is one second of video: 20 frames at
// the lab's 20 fps, which is exactly one lab FORWARD / BACKWARD.
import { SessionState } from "../client/client-session.ts";
import type { PlayerSession } from "./player-session.ts";

export type PlayerCommand = "play" | "pause" | "toggle-play" | "forward" | "backward" | "restart" | "stop";

function skipFrames(session: PlayerSession): number {
  return Math.max(1, Math.round(session.fps));
}

/** Async all the way, so a command the session refuses (a throw in its state check) is a rejected promise. */
export async function runSessionCommand(session: PlayerSession, command: PlayerCommand): Promise<void> {
  switch (command) {
    case "play":
      return session.play();
    case "pause":
      return session.pause();
    case "toggle-play":
      return session.state === SessionState.Playing ? session.pause() : session.play();
    case "forward":
      return session.skip(skipFrames(session));
    case "backward":
      return session.skip(-skipFrames(session));
    case "restart":
      return session.restart();
    case "stop":
      return session.teardown();
  }
}

/** Quitting waits this long at most for the server to answer TEARDOWN. */
const TEARDOWN_WAIT_MS = 1500;

/**
 * Leaving the player: TEARDOWN when a session is set up (a refused one, e.g. in INIT, is fine), a bounded wait for
 * the reply, then the sockets are released either way.
 */
export async function endSession(session: PlayerSession): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    runSessionCommand(session, "stop").catch(() => {}),
    new Promise((resolve) => (timer = setTimeout(resolve, TEARDOWN_WAIT_MS))),
  ]);
  clearTimeout(timer);
  session.close();
}
