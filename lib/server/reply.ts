// A reply as handlers produce it, and its bytes in either dialect. Header order is part of the lab's wire
// format: its client reads line 2 as `CSeq: n`, line 3 as `Session: n` (int()), line 4 as `Frames: n` (RTSP/1.4).
import packageJson from "../../package.json" with { type: "json" };
import { serializeResponse, type HeaderList } from "../rtsp/message.ts";
import { serializeSessionHeader } from "../rtsp/session-header.ts";
import type { ServedMovie } from "./movie-library.ts";
import type { StreamSession } from "./stream-session.ts";

export const SERVER_NAME = `rtsp/${packageJson.version}`;
export const LAB_VERSION = "RTSP/1.4";

export interface Reply {
  status: number;
  headers?: HeaderList;
  body?: { contentType: string; bytes: Uint8Array };
  /** The session the reply is about (its id goes in the Session header). */
  session?: StreamSession;
  /** The movie the reply is about (its frame count goes in the lab's Frames header). */
  movie?: ServedMovie;
  /** Runs once the reply is written: PLAY sends its first frame here. */
  afterWrite?: () => void;
  /** Why an error reply was sent, for the client (as a text body) and the log. */
  message?: string;
}

export interface ReplyContext {
  /** The request's version (echoed to lab clients) and CSeq (echoed to everyone). */
  version: string;
  cseq?: string;
  lab: boolean;
  sessionTimeout: number;
}

const textEncoder = new TextEncoder();

export function errorReply(status: number, message: string): Reply {
  return { status, message };
}

export function serializeReply(reply: Reply, context: ReplyContext): Uint8Array {
  const headers: HeaderList = [];
  if (context.cseq !== undefined) headers.push(["CSeq", context.cseq]);
  if (reply.session) {
    const timeout = context.lab ? undefined : context.sessionTimeout;
    headers.push(["Session", serializeSessionHeader({ id: reply.session.id, timeout })]);
  }
  const movie = reply.movie ?? reply.session?.movie;
  if (context.version === LAB_VERSION && movie) headers.push(["Frames", String(movie.movie.frameCount)]);
  headers.push(...(reply.headers ?? []), ["Server", SERVER_NAME]);

  let body = reply.body;
  if (!body && reply.message !== undefined && reply.status >= 400) {
    body = { contentType: "text/plain", bytes: textEncoder.encode(`${reply.message}\n`) };
  }
  if (body) headers.push(["Content-Type", body.contentType], ["Content-Length", String(body.bytes.length)]);
  return serializeResponse(
    {
      version: context.lab ? context.version : "RTSP/1.0",
      status: reply.status,
      reason: "",
      headers,
      body: body?.bytes ?? new Uint8Array(),
    },
    { lineEnding: context.lab ? "\n" : "\r\n" },
  );
}
