// The RTSP server: listener + per-connection sessions + one shared pacer. CONTRACT (owned by lib/server).

export interface ServerOptions {
  /** A movie file or a folder of movies; undefined = the bundled sample movie. */
  root?: string;
  port: number; // 0 = any free port
  host: string; // default 0.0.0.0
  fps: number; // default 20 (50 ms period)
  /** Largest RTP packet on the standard path (RFC 2435 fragments), default 1400. */
  maxPacket: number;
  /** Seconds without RTSP or RTCP before a standard session ends; default 60. */
  sessionTimeout: number;
  verbose: boolean;
}

export interface RtspServer {
  readonly port: number;
  readonly sessionCount: number;
  /** Stop accepting, end every session (RTCP BYE on the standard path), close sockets. */
  stop(): Promise<void>;
}

export declare function startServer(options: ServerOptions): Promise<RtspServer>;
