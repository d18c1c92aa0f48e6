// The RTSP server: listener + per-connection sessions + one shared pacer. CONTRACT (owned by lib/server).
import type { Socket, TCPSocketListener } from "bun";
import { consola } from "consola";
import { bundledMoviePath } from "../media/sample.ts";
import { Authenticator, type AuthOptions } from "./authenticator.ts";
import { RtspConnection, type ConnectionLog } from "./connection.ts";
import { DEFAULT_LIMITS, type ServerLimits } from "./limits.ts";
import { MovieLibrary } from "./movie-library.ts";
import { movieRootFor, type MovieRoot } from "./movie-path.ts";
import { Pacer } from "./pacer.ts";
import { endSession, type ConnectionContext, type ServerContext } from "./request-handlers.ts";
import { warmUpSendPath } from "./send-path-warm-up.ts";
import type { StreamSession } from "./stream-session.ts";

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
  /** Overrides of DEFAULT_LIMITS. */
  limits?: Partial<ServerLimits>;
  /** Users who may play; undefined = no authentication. */
  auth?: Pick<AuthOptions, "users" | "allowBasic">;
  /** Send each frame as one UDP GSO send where Linux offers it; default true. */
  gso?: boolean;
}

export interface RtspServer {
  readonly port: number;
  readonly sessionCount: number;
  /** Open RTSP connections. */
  readonly connectionCount: number;
  /** What is served: `movie.Mjpeg` URLs are relative to this. */
  readonly root: MovieRoot;
  /** Stop accepting, end every session (RTCP BYE on the standard path), close sockets. */
  stop(): Promise<void>;
}

/** The bundled sample is served under the lab's classic name whatever its embedded path is called. */
export const BUNDLED_MOVIE_NAME = "movie.Mjpeg";
/** An interleaved client further behind than this has its frames skipped rather than queued without bound. */
const MAX_QUEUED_BYTES = 1 << 20;
const TIMEOUT_SWEEP_MS = 250;
const textDecoder = new TextDecoder();

/** Thrown when the port cannot be bound; `message` is one line for the user. */
export class ServerStartError extends Error {}

function describeSession(session: StreamSession): string {
  return `session ${session.id} (${session.dialect}, ${session.movie.name})`;
}

export async function startServer(options: ServerOptions): Promise<RtspServer> {
  const root: MovieRoot =
    options.root === undefined ? { kind: "file", path: bundledMoviePath, name: BUNDLED_MOVIE_NAME } : await movieRootFor(options.root);
  const log = consola.withTag("serve");
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const authenticator = options.auth && new Authenticator(options.auth);
  const owners = new Map<StreamSession, ConnectionContext>();
  const connections = new Set<RtspConnection>();
  const pacer = new Pacer({ periodMs: 1000 / options.fps, onError: (error) => log.error("sending a frame failed:", error) });

  const context: ServerContext = {
    library: new MovieLibrary(root, options.maxPacket),
    pacer,
    fps: options.fps,
    gso: options.gso ?? true,
    maxQueuedBytes: MAX_QUEUED_BYTES,
    maxSessions: limits.maxSessions,
    get sessionCount() {
      return owners.size;
    },
    authenticator,
    newSessionId() {
      const taken = new Set([...owners.keys()].map((session) => session.id));
      for (;;) {
        const id = String(100_000 + Math.floor(Math.random() * 900_000));
        if (!taken.has(id)) return id;
      }
    },
    sessionStarted(session, connection) {
      owners.set(session, connection);
      log.info(`${describeSession(session)} set up`);
    },
    sessionEnded(session, why) {
      owners.delete(session);
      log.info(`${describeSession(session)} ended (${why}): ${session.summary()}`);
    },
    sessionEvent(session, what) {
      log.info(`${describeSession(session)} ${what}`);
    },
    rtcpReceived(session, bytes) {
      session.receiveRtcp(bytes);
      if (options.verbose) log.info(`${describeSession(session)} RTCP from client: ${session.summary()}`);
    },
  };

  const connectionLog: ConnectionLog = {
    request(connection, request) {
      if (!options.verbose) return;
      const headers = request.headers.map(([name, value]) => `\n    ${name}: ${value}`).join("");
      log.info(`${connection.peer} → ${request.method} ${request.uri} ${request.version}${headers}`);
    },
    reply(connection, reply, bytes) {
      if (options.verbose) {
        const text = textDecoder.decode(bytes).trimEnd().replaceAll("\r", "").replaceAll("\n", "\n    ");
        log.info(`${connection.peer} ← ${text}`);
      } else if (reply.status >= 400) {
        log.warn(`${connection.peer} ← ${reply.status}${reply.message === undefined ? "" : ` (${reply.message})`}`);
      }
    },
    error(error) {
      log.error(error);
    },
  };

  await warmUpSendPath(options.fps, context.gso);
  await context.library.prepareServedFile();

  let listener: TCPSocketListener<RtspConnection | undefined>;
  try {
    listener = Bun.listen<RtspConnection | undefined>({
      hostname: options.host,
      port: options.port,
      socket: {
        open(socket) {
          const connection = new RtspConnection(socket as Socket<unknown>, context, options.sessionTimeout, connectionLog, limits);
          socket.data = connection;
          if (connections.size >= limits.maxConnections) {
            connection.drop(503, `the server has reached its limit of ${limits.maxConnections} connections`);
            return;
          }
          connections.add(connection);
        },
        data(socket, chunk) {
          socket.data?.receive(chunk);
        },
        drain(socket) {
          socket.data?.drain();
        },
        close(socket) {
          if (!socket.data) return;
          connections.delete(socket.data);
          socket.data.close();
        },
        error(socket, error) {
          if (options.verbose) log.warn(`connection error: ${error.message}`);
          socket.data?.close();
        },
      },
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const where = `${options.host}:${options.port}`;
    if (code === "EADDRINUSE") throw new ServerStartError(`port ${options.port} is already in use (${where})`);
    throw new ServerStartError(`cannot listen on ${where}: ${error instanceof Error ? error.message : String(error)}`);
  }

  const sweep = setInterval(() => {
    const now = performance.now();
    const limit = now - options.sessionTimeout * 1000;
    // Lab clients have no keep-alive (no RTCP, no GET_PARAMETER): their sessions end with their connection instead.
    for (const [session, connection] of owners) {
      if (session.dialect === "standard" && session.lastActivity < limit) endSession(connection, session, "timed out");
    }
    for (const connection of connections) {
      if (connection.pendingSince !== undefined && now - connection.pendingSince > limits.requestTimeout * 1000) {
        connection.drop(408, `no complete request within ${limits.requestTimeout} s`);
      } else if (connection.sessions.size === 0 && now - connection.lastRequestAt > limits.idleTimeout * 1000) {
        connection.drop(408, `idle for ${limits.idleTimeout} s without a session`);
      }
      if (connection.isClosed) connections.delete(connection);
    }
    authenticator?.sweep();
  }, TIMEOUT_SWEEP_MS);

  return {
    get port() {
      return listener.port;
    },
    get sessionCount() {
      let count = 0;
      for (const connection of connections) count += connection.sessions.size;
      return count;
    },
    get connectionCount() {
      return connections.size;
    },
    root,
    async stop() {
      clearInterval(sweep);
      for (const connection of connections) connection.shutdown();
      connections.clear();
      pacer.stopAll();
      listener.stop(true);
    },
  };
}

