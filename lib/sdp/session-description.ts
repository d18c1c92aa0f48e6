// SDP (RFC 4566): what our server describes and what our client reads. CONTRACT (owned by lib/sdp).
import { JPEG_CLOCK_RATE } from "../rtp/packet.ts";

export interface MediaDescription {
  type: string; // "video"
  port: number;
  protocol: string; // "RTP/AVP"
  formats: number[];
  control?: string;
  rtpmap: { payloadType: number; encoding: string; clockRate: number }[];
  framerate?: number;
  attributes: [name: string, value: string | undefined][];
  /** Lines other than a= (c=, b=, i=, ...) as [type, value], in order. */
  otherLines?: [type: string, value: string][];
}
export interface SessionDescription {
  origin?: string;
  sessionName?: string;
  control?: string;
  /** From a=range:npt=start-end, seconds. */
  range?: { start: number; end?: number };
  attributes: [name: string, value: string | undefined][];
  media: MediaDescription[];
  /** Session-level lines other than v=, o=, s=, a= (c=, t=, i=, b=, ...) as [type, value], in order. */
  otherLines?: [type: string, value: string][];
}
export interface JpegStreamDescription {
  sessionId: string;
  serverAddress: string;
  name: string;
  framerate: number;
  durationSeconds: number;
  width: number;
  height: number;
}

export class SdpError extends Error {
  override name = "SdpError";
}

const JPEG_PAYLOAD_TYPE = 26;
const CRLF = "\r\n";

/** Decimal text for SDP numbers: no exponent, at most three decimals, no trailing zeros. */
function formatDecimal(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** A line value cannot hold a line break; anything else passes through. */
function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

/** m=video 0 RTP/AVP 26, a=rtpmap:26 JPEG/90000, a=control:, a=framerate:, a=range:npt=0-<duration>. */
export function buildJpegSdp(stream: JpegStreamDescription): string {
  const duration = Number.isFinite(stream.durationSeconds) && stream.durationSeconds > 0 ? formatDecimal(stream.durationSeconds) : "";
  const lines = [
    "v=0",
    `o=- ${singleLine(stream.sessionId)} 1 IN IP4 ${singleLine(stream.serverAddress)}`,
    `s=${singleLine(stream.name) || " "}`,
    "c=IN IP4 0.0.0.0",
    "t=0 0",
    "a=control:*",
    `a=range:npt=0-${duration}`,
    `m=video 0 RTP/AVP ${JPEG_PAYLOAD_TYPE}`,
    `a=rtpmap:${JPEG_PAYLOAD_TYPE} JPEG/${JPEG_CLOCK_RATE}`,
  ];
  if (stream.framerate > 0) lines.push(`a=framerate:${formatDecimal(stream.framerate)}`);
  // RFC 2435 headers carry the size only up to 2040 pixels; these let players learn it up front.
  if (stream.width > 0 && stream.height > 0) {
    lines.push(`a=cliprect:0,0,${stream.height},${stream.width}`, `a=x-dimensions:${stream.width},${stream.height}`);
  }
  lines.push("a=control:track1");
  return lines.join(CRLF) + CRLF;
}

/** Normalized SDP text for a description (CRLF endings): what parseSdp reads back to the same value. */
export function formatSdp(description: SessionDescription): string {
  const lines = ["v=0"];
  if (description.origin !== undefined) lines.push(`o=${description.origin}`);
  if (description.sessionName !== undefined) lines.push(`s=${description.sessionName}`);
  for (const [type, value] of description.otherLines ?? []) lines.push(`${type}=${value}`);
  for (const attribute of description.attributes) lines.push(formatAttribute(attribute));
  for (const media of description.media) {
    lines.push(`m=${media.type} ${media.port} ${media.protocol} ${media.formats.join(" ")}`.trimEnd());
    for (const [type, value] of media.otherLines ?? []) lines.push(`${type}=${value}`);
    for (const attribute of media.attributes) lines.push(formatAttribute(attribute));
  }
  return lines.join(CRLF) + CRLF;
}

function formatAttribute([name, value]: [string, string | undefined]): string {
  return value === undefined ? `a=${name}` : `a=${name}:${value}`;
}

/** Throws SdpError naming the line for what it cannot read. */
export function parseSdp(text: string): SessionDescription {
  const session: SessionDescription = { attributes: [], media: [], otherLines: [] };
  let media: MediaDescription | undefined;
  const lines = text.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    // Some servers pad the body with spaces or a trailing NUL; neither carries meaning.
    const line = lines[index].replace(/[\s\0]+$/, "");
    if (line === "") continue;
    const where = `SDP line ${index + 1} "${line.length > 80 ? line.slice(0, 80) + "..." : line}"`;
    if (line.length < 2 || line[1] !== "=" || !/[a-zA-Z]/.test(line[0])) throw new SdpError(`${where} is not <type>=<value>`);
    const type = line[0];
    const value = line.slice(2);
    if (type === "v") {
      if (value.trim() !== "0") throw new SdpError(`${where}: unsupported SDP version`);
    } else if (type === "m") {
      media = parseMediaLine(value, where);
      session.media.push(media);
    } else if (type === "a") {
      const attribute = splitAttribute(value);
      if (media) applyMediaAttribute(media, attribute);
      else applySessionAttribute(session, attribute);
    } else if (media) {
      media.otherLines!.push([type, value]);
    } else if (type === "o") {
      session.origin = value;
    } else if (type === "s") {
      session.sessionName = value;
    } else {
      session.otherLines!.push([type, value]);
    }
  }
  return session;
}

function parseMediaLine(value: string, where: string): MediaDescription {
  const fields = value.trim().split(/\s+/);
  if (fields.length < 3) throw new SdpError(`${where}: expected m=<media> <port> <proto> <fmt> ...`);
  const [type, portField, protocol, ...formatFields] = fields;
  // A port may carry a count of ports ("5004/2"); the first one is the port.
  const port = /^\d+(\/\d+)?$/.test(portField) ? Number(portField.split("/")[0]) : NaN;
  if (!(port <= 0xffff)) throw new SdpError(`${where}: port "${portField}" is not a number in 0..65535`);
  const formats: number[] = [];
  for (const format of formatFields) {
    if (/^\d+$/.test(format) && Number(format) <= 127) formats.push(Number(format));
    // Non-RTP protocols name formats freely; RTP ones must use payload types.
    else if (protocol.toUpperCase().startsWith("RTP/")) throw new SdpError(`${where}: format "${format}" is not an RTP payload type`);
  }
  return { type, port, protocol, formats, rtpmap: [], attributes: [], otherLines: [] };
}

function splitAttribute(value: string): [string, string | undefined] {
  const colon = value.indexOf(":");
  return colon < 0 ? [value, undefined] : [value.slice(0, colon), value.slice(colon + 1)];
}

function applySessionAttribute(session: SessionDescription, attribute: [string, string | undefined]): void {
  session.attributes.push(attribute);
  const [name, value] = attribute;
  if (value === undefined) return;
  if (name === "control") session.control = value.trim();
  if (name === "range") {
    const range = parseNptRange(value);
    if (range) session.range = range;
  }
}

function applyMediaAttribute(media: MediaDescription, attribute: [string, string | undefined]): void {
  media.attributes.push(attribute);
  const [name, value] = attribute;
  if (value === undefined) return;
  if (name === "control") media.control = value.trim();
  if (name === "framerate") {
    const framerate = Number(value.trim());
    if (Number.isFinite(framerate) && framerate > 0) media.framerate = framerate;
  }
  if (name === "rtpmap") {
    const match = /^\s*(\d+)\s+([^/\s]+)\/(\d+)/.exec(value);
    if (match) media.rtpmap.push({ payloadType: Number(match[1]), encoding: match[2], clockRate: Number(match[3]) });
  }
}

/** npt=0-25.5, npt=0.000-, npt=now- (live: starts now, taken as 0). Other clocks are left to the attribute list. */
function parseNptRange(value: string): { start: number; end?: number } | undefined {
  const match = /^\s*npt\s*=\s*(now|\d+(?:\.\d*)?)?\s*-\s*(\d+(?:\.\d*)?)?\s*$/.exec(value);
  if (!match) return undefined;
  const start = match[1] === undefined || match[1] === "now" ? 0 : Number(match[1]);
  return match[2] === undefined ? { start } : { start, end: Number(match[2]) };
}
