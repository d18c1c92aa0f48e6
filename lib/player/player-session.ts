// What a front end uses of the client session: commands, position facts, events. The players hold no protocol or
// state logic; the client session decides what each command means on the wire and which are allowed when.
import type { ClientSession } from "../client/client-session.ts";

export type PlayerSession = Pick<
  ClientSession,
  "state" | "totalFrames" | "fps" | "describe" | "play" | "pause" | "teardown" | "skip" | "restart" | "stats" | "on" | "close"
>;
