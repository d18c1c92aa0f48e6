// What one peer may cost the server. Every limit has a default that keeps `rtsp bench` at 1000 clients working;
// SECURITY.md lists them with the tests that check them.
import { DEFAULT_READER_LIMITS } from "../rtsp/reader.ts";

export interface ServerLimits {
  /** Request line plus headers, bytes (431 beyond; 414 for a request-URI over maxUriBytes). */
  maxRequestBytes: number;
  maxHeaders: number;
  maxUriBytes: number;
  /** Content-Length beyond this is answered 413 and the connection closed. */
  maxBodyBytes: number;
  /** Requests per connection per second; the excess is answered 503 without being acted on. */
  requestsPerSecond: number;
  /** Sessions on the whole server; a SETUP beyond is answered 503. */
  maxSessions: number;
  /** Open RTSP connections; one more is answered 503 and closed. */
  maxConnections: number;
  /** Seconds a request may take to arrive whole once its first byte came; then 408 and the connection closes. */
  requestTimeout: number;
  /** Seconds a connection without a session may stay silent before it is closed. */
  idleTimeout: number;
}

export const DEFAULT_LIMITS: Readonly<ServerLimits> = Object.freeze({
  maxRequestBytes: DEFAULT_READER_LIMITS.maxHeaderBytes,
  maxHeaders: DEFAULT_READER_LIMITS.maxHeaders,
  maxUriBytes: DEFAULT_READER_LIMITS.maxUriBytes,
  maxBodyBytes: 16_384,
  requestsPerSecond: 50,
  maxSessions: 2000,
  maxConnections: 4000,
  requestTimeout: 10,
  idleTimeout: 60,
});

/** Counts requests in the current one-second window. */
export class RequestRate {
  private windowStart = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(private readonly perSecond: number) {}

  /** Records one request; false when it is over the limit. */
  allow(now: number): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    return this.count <= this.perSecond;
  }
}
