// Test helpers: raw wire bytes from text, and a reader driven over chunks the way a socket would deliver them.
import type { RtspRequest, RtspResponse } from "../../lib/rtsp/message.ts";
import { RtspReader, type ReaderEvent, type ReaderLimits } from "../../lib/rtsp/reader.ts";

export type Message = RtspRequest | RtspResponse;
export type Kind = "request" | "response";

/** One byte per character (latin1), so tables can hold binary bytes as `\x..` escapes. */
export function wire(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => character.charCodeAt(0));
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

export function newReader(kind: Kind, limits?: Partial<ReaderLimits>): RtspReader<Message> {
  return kind === "request"
    ? (new RtspReader<RtspRequest>("request", limits) as RtspReader<Message>)
    : (new RtspReader<RtspResponse>("response", limits) as RtspReader<Message>);
}

/** Push every chunk, then flush as a server does when the connection goes quiet. */
export function readChunks(kind: Kind, chunks: Uint8Array[], limits?: Partial<ReaderLimits>): ReaderEvent<Message>[] {
  const reader = newReader(kind, limits);
  const events = chunks.flatMap((chunk) => reader.push(chunk));
  return [...events, ...reader.flush()];
}

export function request(method: string, uri: string, headers: Array<[string, string]>, body = "", version = "RTSP/1.0"): RtspRequest {
  return { method, uri, version, headers, body: wire(body) };
}

export function response(status: number, reason: string, headers: Array<[string, string]>, body = "", version = "RTSP/1.0"): RtspResponse {
  return { version, status, reason, headers, body: wire(body) };
}

export function messageEvent<M extends Message>(message: M): ReaderEvent<M> {
  return { type: "message", message };
}

export function errorEvent(status: number, cseq?: string, fatal = false): Record<string, unknown> {
  return cseq === undefined ? { type: "error", status, fatal } : { type: "error", status, fatal, cseq };
}

/** Errors compared without their human-readable reason. */
export function withoutReasons(events: ReaderEvent<Message>[]): unknown[] {
  return events.map((event) => {
    if (event.type !== "error") return event;
    const { reason, ...rest } = event;
    expectString(reason);
    return rest;
  });
}

function expectString(value: unknown): void {
  if (typeof value !== "string" || value === "") throw new Error(`error event without a reason: ${String(value)}`);
}
