// Turns a non-2xx reply into the one-line error a user sees.
import { ClientError } from "./client-error.ts";
import type { RtspReply } from "./rtsp-connection.ts";

/** Throws ClientError("status") such as "server answered 404 Not Found for movie.Mjpeg". */
export function requireSuccess(reply: RtspReply, target: string): RtspReply {
  if (reply.status >= 200 && reply.status < 300) return reply;
  const reason = reply.reason.trim();
  const hint = reply.status === 401 ? " (wrong or missing user:password in the URL, rtsp://user:password@host:port/path)" : "";
  throw new ClientError("status", `server answered ${reply.status}${reason ? ` ${reason}` : ""} for ${target}${hint}`, reply.status);
}
