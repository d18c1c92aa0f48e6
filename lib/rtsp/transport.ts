// The Transport header (RFC 2326 §12.39) and the lab's `RTP/UDP; client_port= 25000`.
// CONTRACT (owned by lib/rtsp).

export interface TransportSpec {
  /** `RTP/AVP` (standard), `RTP/UDP` (the lab), `RTP/AVP/TCP`... as sent, upper-cased. */
  protocol: string;
  /** Lower transport: `UDP` unless `/TCP` was given. */
  lowerTransport: "UDP" | "TCP";
  /** True unless `multicast` was given. */
  unicast: boolean;
  clientPort?: [number, number?];
  serverPort?: [number, number?];
  interleaved?: [number, number?];
  ssrc?: number;
  destination?: string;
  source?: string;
  mode?: string;
}

/** Parses a Transport header value: a comma-separated list of alternatives. Throws TransportError on bad syntax. */
export declare function parseTransport(value: string): TransportSpec[];
export declare function serializeTransport(spec: TransportSpec): string;
export declare class TransportError extends Error {}
