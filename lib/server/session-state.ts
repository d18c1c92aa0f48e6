// The per-session state machine (RFC 2326 Appendix A.2, plus the lab's FORWARD / BACKWARD / RESTART).
// One table, one function: every handler asks `transition` before acting, so refusals (455) are decided here only.

export enum SessionState {
  Init = "INIT",
  Ready = "READY",
  Playing = "PLAYING",
}

/** Every method the server implements; anything else is answered 501. */
export const SUPPORTED_METHODS = [
  "OPTIONS",
  "DESCRIBE",
  "SETUP",
  "PLAY",
  "PAUSE",
  "TEARDOWN",
  "GET_PARAMETER",
  "FORWARD",
  "BACKWARD",
  "RESTART",
] as const;
export type SupportedMethod = (typeof SUPPORTED_METHODS)[number];

/** The methods advertised in OPTIONS' Public header: the standard ones (the lab's extras are not RTSP). */
export const PUBLIC_METHODS: readonly SupportedMethod[] = ["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER"];

const SAME = "same" as const;
type Target = SessionState | typeof SAME;

// SETUP while playing would change the transport under a running schedule; we refuse it rather than support it.
// PAUSE while ready is a no-op rather than 455: GStreamer's rtspsrc pauses on its way out after the end-of-movie BYE
// (the session is READY again by then) and gst-launch exits with an error on a 455.
const TRANSITIONS: Record<SessionState, Partial<Record<SupportedMethod, Target>>> = {
  [SessionState.Init]: {
    OPTIONS: SAME,
    DESCRIBE: SAME,
    GET_PARAMETER: SAME,
    SETUP: SessionState.Ready,
    TEARDOWN: SessionState.Init,
  },
  [SessionState.Ready]: {
    OPTIONS: SAME,
    DESCRIBE: SAME,
    GET_PARAMETER: SAME,
    SETUP: SessionState.Ready,
    PLAY: SessionState.Playing,
    PAUSE: SAME,
    TEARDOWN: SessionState.Init,
    FORWARD: SAME,
    BACKWARD: SAME,
    RESTART: SAME,
  },
  [SessionState.Playing]: {
    OPTIONS: SAME,
    DESCRIBE: SAME,
    GET_PARAMETER: SAME,
    PLAY: SessionState.Playing,
    PAUSE: SessionState.Ready,
    TEARDOWN: SessionState.Init,
    FORWARD: SAME,
    BACKWARD: SAME,
    RESTART: SAME,
  },
};

export function isSupportedMethod(method: string): method is SupportedMethod {
  return (SUPPORTED_METHODS as readonly string[]).includes(method);
}

/** The state after `method` in `state`, or undefined when the method is not valid there (455). */
export function transition(state: SessionState, method: SupportedMethod): SessionState | undefined {
  const target = TRANSITIONS[state][method];
  return target === SAME ? state : target;
}
