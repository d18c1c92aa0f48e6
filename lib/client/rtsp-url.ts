// Where a stream lives: host, port, and the names each dialect puts in its request line.

export interface StreamUrl {
  host: string;
  port: number;
  /** The absolute URL, as standard requests carry it. */
  url: string;
  /** The bare file name the lab's request line carries (`movie.Mjpeg`). */
  labName: string;
  /** From `rtsp://user:password@host/...`; never sent in a request line. */
  credentials?: Credentials;
}

export interface Credentials {
  username: string;
  password: string;
}

export const DEFAULT_RTSP_PORT = 554;

/** Throws with a readable message for anything that is not an rtsp:// URL. */
export function parseStreamUrl(text: string): StreamUrl {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new Error(`not a URL: "${text}" (expected rtsp://host:port/name)`);
  }
  if (parsed.protocol !== "rtsp:") throw new Error(`not an rtsp:// URL: "${text}"`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = parsed.port === "" ? DEFAULT_RTSP_PORT : Number(parsed.port);
  const path = decodeURIComponent(parsed.pathname.replace(/^\/+/, ""));
  const stream: StreamUrl = { host, port, url: withoutUserInfo(text), labName: path };
  if (parsed.username !== "" || parsed.password !== "") {
    stream.credentials = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  }
  return stream;
}

/** The URL as requests carry it: servers (and their logs) never see the password. */
export function withoutUserInfo(text: string): string {
  return text.replace(/^(rtsp:\/\/)[^/?#]*@/i, "$1");
}

/** RFC 2326 C.1.1: a control attribute is absolute, or relative to the base URL (Content-Base, else the request URL). */
export function resolveControlUrl(base: string, control: string | undefined): string {
  if (control === undefined || control === "" || control === "*") return base;
  if (/^rtsp:\/\//i.test(control)) return control;
  return base.endsWith("/") ? base + control : `${base}/${control}`;
}
