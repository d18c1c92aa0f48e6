// The RTP-Info header (RFC 2326 §12.33). CONTRACT (owned by lib/rtsp).
export interface RtpInfoEntry {
  url: string;
  seq?: number;
  rtptime?: number;
}

export class RtpInfoError extends Error {
  override name = "RtpInfoError";
}

const MAX_SEQ = 0xffff;
const MAX_RTPTIME = 0xffffffff;

/** Throws RtpInfoError for an entry without url or with an unreadable seq/rtptime; unknown parameters are ignored. */
export function parseRtpInfo(value: string): RtpInfoEntry[] {
  return value.split(",").map((entryText) => {
    const entry: Partial<RtpInfoEntry> = {};
    for (const parameter of entryText.split(";")) {
      const equals = parameter.indexOf("=");
      if (equals < 0) continue;
      const name = parameter.slice(0, equals).trim().toLowerCase();
      const argument = parameter.slice(equals + 1).trim().replace(/^"(.*)"$/, "$1");
      if (name === "url") entry.url = argument;
      if (name === "seq") entry.seq = parseInteger(argument, MAX_SEQ, value);
      if (name === "rtptime") entry.rtptime = parseInteger(argument, MAX_RTPTIME, value);
    }
    if (!entry.url) throw new RtpInfoError(`RTP-Info entry without url in "${value}"`);
    return entry as RtpInfoEntry;
  });
}

function parseInteger(text: string, max: number, value: string): number {
  const number = Number(text);
  if (!/^\d+$/.test(text) || number > max) throw new RtpInfoError(`invalid number "${text}" in "${value}"`);
  return number;
}

export function serializeRtpInfo(entries: RtpInfoEntry[]): string {
  return entries
    .map((entry) => {
      const parts = [`url=${entry.url}`];
      if (entry.seq !== undefined) parts.push(`seq=${entry.seq}`);
      if (entry.rtptime !== undefined) parts.push(`rtptime=${entry.rtptime}`);
      return parts.join(";");
    })
    .join(", ");
}
