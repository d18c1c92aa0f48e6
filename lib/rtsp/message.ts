// RTSP messages as values, and their serialization. Parsing from a byte stream lives in reader.ts.
// CONTRACT (owned by lib/rtsp): signatures here are relied on by lib/server and lib/client.

/** Ordered header list: order matters because the lab client reads CSeq and Session by line position. */
export type HeaderList = Array<[name: string, value: string]>;

export interface RtspRequest {
  method: string;
  /** As sent: a bare name (`movie.Mjpeg`, the lab) or an absolute `rtsp://host:port/path` URL, or `*`. */
  uri: string;
  /** e.g. `RTSP/1.0`, or the lab's `RTSP/1.4`. */
  version: string;
  headers: HeaderList;
  body: Uint8Array;
}

export interface RtspResponse {
  version: string;
  status: number;
  reason: string;
  headers: HeaderList;
  body: Uint8Array;
}

export interface SerializeOptions {
  /** `\r\n` (standard, default) or `\n`. */
  lineEnding?: "\r\n" | "\n";
}

/** The first header with this name, compared case-insensitively as RFC 2326 §4.2 requires. */
export function getHeader(headers: HeaderList, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return headers.find(([headerName]) => headerName.toLowerCase() === wanted)?.[1];
}

export function serializeRequest(request: RtspRequest, options: SerializeOptions = {}): Uint8Array {
  return serializeMessage(`${request.method} ${request.uri} ${request.version}`, request.headers, request.body, options);
}

export function serializeResponse(response: RtspResponse, options: SerializeOptions = {}): Uint8Array {
  const reason = response.reason || REASON_PHRASES[response.status] || "";
  return serializeMessage(`${response.version} ${response.status} ${reason}`, response.headers, response.body, options);
}

function serializeMessage(startLine: string, headers: HeaderList, body: Uint8Array, options: SerializeOptions): Uint8Array {
  const eol = options.lineEnding ?? "\r\n";
  const lines = [startLine, ...headers.map(([name, value]) => `${name}: ${value}`)];
  if (body.length > 0 && getHeader(headers, "Content-Length") === undefined) {
    lines.push(`Content-Length: ${body.length}`);
  }
  const head = new TextEncoder().encode(lines.join(eol) + eol + eol);
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head, 0);
  bytes.set(body, head.length);
  return bytes;
}

/** Reason phrases of RFC 2326 §7.1.1 by status code, plus RFC 6585's 431 which the reader reports. */
export const REASON_PHRASES: Readonly<Record<number, string>> = Object.freeze({
  100: "Continue",
  200: "OK",
  201: "Created",
  250: "Low on Storage Space",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Moved Temporarily",
  303: "See Other",
  304: "Not Modified",
  305: "Use Proxy",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  407: "Proxy Authentication Required",
  408: "Request Time-out",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  414: "Request-URI Too Large",
  415: "Unsupported Media Type",
  431: "Request Header Fields Too Large",
  451: "Parameter Not Understood",
  452: "Conference Not Found",
  453: "Not Enough Bandwidth",
  454: "Session Not Found",
  455: "Method Not Valid in This State",
  456: "Header Field Not Valid for Resource",
  457: "Invalid Range",
  458: "Parameter Is Read-Only",
  459: "Aggregate operation not allowed",
  460: "Only aggregate operation allowed",
  461: "Unsupported transport",
  462: "Destination unreachable",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Time-out",
  505: "RTSP Version not supported",
  551: "Option not supported",
});
