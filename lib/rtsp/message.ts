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

export declare function getHeader(headers: HeaderList, name: string): string | undefined;
export declare function serializeRequest(request: RtspRequest, options?: SerializeOptions): Uint8Array;
export declare function serializeResponse(response: RtspResponse, options?: SerializeOptions): Uint8Array;
/** Reason phrases of RFC 2326 §7.1.1 by status code. */
export declare const REASON_PHRASES: Readonly<Record<number, string>>;
