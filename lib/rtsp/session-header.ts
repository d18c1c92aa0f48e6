// The Session header: `id` or `id;timeout=60`. CONTRACT (owned by lib/rtsp).
export interface SessionHeader {
  id: string;
  timeout?: number;
}

export class SessionHeaderError extends Error {
  override name = "SessionHeaderError";
}

const SESSION_ID = /^[^\s;]+$/;

/** Throws SessionHeaderError for a missing id or an unreadable timeout; other parameters are ignored. */
export function parseSessionHeader(value: string): SessionHeader {
  const [id, ...parameters] = value.split(";").map((part) => part.trim());
  if (!SESSION_ID.test(id)) throw new SessionHeaderError(`invalid session id in "${value}"`);
  const session: SessionHeader = { id };
  for (const parameter of parameters) {
    const [name, argument = ""] = parameter.split("=").map((part) => part.trim());
    if (name.toLowerCase() !== "timeout") continue;
    if (!/^\d+$/.test(argument)) throw new SessionHeaderError(`invalid timeout in "${value}"`);
    session.timeout = Number(argument);
  }
  return session;
}

export function serializeSessionHeader(session: SessionHeader): string {
  return session.timeout === undefined ? session.id : `${session.id};timeout=${session.timeout}`;
}
