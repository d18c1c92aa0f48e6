// One error type for everything that ends a client run, with the kind the report's endedBy is derived from.

export type ClientErrorKind =
  /** TCP connect failed (refused, unreachable). */
  | "connect"
  /** The server answered a request with a non-2xx status. */
  | "status"
  /** No reply, or no media, within the allowed time. */
  | "timeout"
  /** The server closed or reset the connection. */
  | "server-gone"
  /** Bytes we cannot make sense of. */
  | "protocol";

export class ClientError extends Error {
  constructor(
    readonly kind: ClientErrorKind,
    message: string,
    /** The RTSP status, for kind "status". */
    readonly status?: number,
  ) {
    super(message);
    this.name = "ClientError";
  }
}

/** The message a user should see for a failed connect, e.g. "cannot connect to 127.0.0.1:8554: connection refused". */
export function describeConnectFailure(host: string, port: number, error: unknown): ClientError {
  const code = (error as { code?: string } | undefined)?.code;
  const reasons: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ETIMEDOUT: "connection timed out",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    ENOTFOUND: "host not found",
  };
  const reason = (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
  return new ClientError("connect", `cannot connect to ${host}:${port}: ${reason}`);
}
