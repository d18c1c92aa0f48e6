// What the server answers to each request. The state machine decides what is allowed; these functions act.
import { MovieError } from "../media/movie-error.ts";
import { getHeader, type RtspRequest } from "../rtsp/message.ts";
import { parseRange, RangeHeaderError, serializeRange } from "../rtsp/range.ts";
import { serializeRtpInfo } from "../rtsp/rtp-info.ts";
import { parseSessionHeader } from "../rtsp/session-header.ts";
import { parseTransport, serializeTransport, TransportError, type TransportSpec } from "../rtsp/transport.ts";
import { buildJpegSdp } from "../sdp/session-description.ts";
import type { Authenticator } from "./authenticator.ts";
import { InterleavedTransport } from "./interleaved-transport.ts";
import { labDescription } from "./lab-description.ts";
import type { MediaTransport } from "./media-transport.ts";
import { RtpFrames, ServedMovie, WholeJpegFrames, type MovieLibrary } from "./movie-library.ts";
import { MoviePathError } from "./movie-path.ts";
import type { Pacer } from "./pacer.ts";
import { errorReply, type Reply } from "./reply.ts";
import { isSupportedMethod, PUBLIC_METHODS, SessionState, transition, type SupportedMethod } from "./session-state.ts";
import { LAB_SKIP_FRAMES, StreamSession, type Dialect } from "./stream-session.ts";
import { chooseTransport } from "./transport-choice.ts";
import { UdpTransport } from "./udp-transport.ts";
import type { ConnectionWriter } from "./connection-writer.ts";

/** What every connection shares: the movies, the pacer, the options and the session registry. */
export interface ServerContext {
  library: MovieLibrary;
  pacer: Pacer;
  fps: number;
  /** RTP over UDP through GSO sockets where available. */
  gso: boolean;
  /** Bytes an interleaved client may have queued before its frames are skipped. */
  maxQueuedBytes: number;
  /** Sessions on the whole server beyond which SETUP is answered 503. */
  maxSessions: number;
  readonly sessionCount: number;
  /** Present when `--auth` is set: every request but OPTIONS must authenticate. */
  authenticator?: Authenticator;
  newSessionId(): string;
  sessionStarted(session: StreamSession, connection: ConnectionContext): void;
  sessionEnded(session: StreamSession, why: string): void;
  sessionEvent(session: StreamSession, what: string): void;
  /** RTCP from a session's client, over UDP or interleaved. */
  rtcpReceived(session: StreamSession, bytes: Uint8Array): void;
}

/** One RTSP connection's side of a request. */
export interface ConnectionContext {
  readonly server: ServerContext;
  readonly sessions: Map<string, StreamSession>;
  readonly writer: ConnectionWriter;
  readonly localAddress: string;
  readonly remoteAddress: string;
  /** Interleaved RTCP arriving on a channel goes to the session that owns it. */
  readonly rtcpChannels: Map<number, StreamSession>;
}

const textEncoder = new TextEncoder();
export const ABSOLUTE_URL = /^rtsps?:\/\//i;

/** Lab clients send bare file names or the invented RTSP/1.4; their sessions stay lab sessions. */
export function isLabRequest(request: RtspRequest, session?: StreamSession): boolean {
  if (session) return session.dialect === "lab";
  return request.version === "RTSP/1.4" || (request.uri !== "*" && !ABSOLUTE_URL.test(request.uri));
}

/** The session a request names: undefined when it names none, an error reply for an unknown or missing one. */
function findSession(request: RtspRequest, connection: ConnectionContext): StreamSession | Reply | undefined {
  const header = getHeader(request.headers, "Session");
  if (header === undefined) {
    // No session yet means INIT (the state machine answers); having one but not naming it is a 454.
    const needsSession = request.method !== "SETUP" && connection.sessions.size > 0;
    const stateful = ["PLAY", "PAUSE", "TEARDOWN", "FORWARD", "BACKWARD", "RESTART"].includes(request.method);
    return needsSession && stateful ? errorReply(454, "this request needs the Session header") : undefined;
  }
  let id: string;
  try {
    id = parseSessionHeader(header).id;
  } catch {
    return errorReply(454, `unreadable Session header: ${header}`);
  }
  return connection.sessions.get(id) ?? errorReply(454, `no session ${id} on this connection`);
}

/**
 * OPTIONS stays open (ffmpeg and GStreamer send it first, and it reveals only the method list); everything else,
 * lab requests included (the lab client cannot authenticate), needs credentials when the server has users.
 */
function authenticate(request: RtspRequest, connection: ConnectionContext): Reply | undefined {
  const authenticator = connection.server.authenticator;
  if (!authenticator || request.method === "OPTIONS") return undefined;
  const decision = authenticator.check(
    { method: request.method, uri: request.uri, authorization: getHeader(request.headers, "Authorization") },
    connection.remoteAddress,
  );
  if (decision.ok) return undefined;
  return { ...errorReply(401, decision.reason), headers: decision.challenges.map((challenge) => ["WWW-Authenticate", challenge]) };
}

/** Loopback and IPv4 peers may show up IPv4-mapped (`::ffff:127.0.0.1`). */
function sameAddress(a: string, b: string): boolean {
  const plain = (address: string) => address.replace(/^::ffff:/i, "").toLowerCase();
  return plain(a) === plain(b);
}

export async function handleRequest(request: RtspRequest, connection: ConnectionContext): Promise<Reply> {
  if (getHeader(request.headers, "CSeq") === undefined) return errorReply(400, "missing CSeq header");
  const method = request.method;
  if (!isSupportedMethod(method)) return errorReply(501, `method ${method} is not implemented`);
  const refused = authenticate(request, connection);
  if (refused) return refused;
  const found = findSession(request, connection);
  if (found !== undefined && !(found instanceof StreamSession)) return found;
  const session = found;
  if (session) session.lastActivity = performance.now();
  const state = session?.state ?? SessionState.Init;
  if (transition(state, method) === undefined) {
    return { ...errorReply(455, `${method} is not valid in state ${state}`), session };
  }
  return dispatch(method, request, connection, session);
}

function dispatch(method: SupportedMethod, request: RtspRequest, connection: ConnectionContext, session?: StreamSession): Promise<Reply> | Reply {
  switch (method) {
    case "OPTIONS":
      return { status: 200, session, headers: [["Public", PUBLIC_METHODS.join(", ")]] };
    case "GET_PARAMETER":
      return { status: 200, session };
    case "DESCRIBE":
      return describe(request, connection, session);
    case "SETUP":
      return setup(request, connection, session);
    case "PLAY":
      return play(request, connection, session!);
    case "PAUSE":
      session!.pause();
      connection.server.sessionEvent(session!, `paused at frame ${session!.position + 1}`);
      return { status: 200, session };
    case "TEARDOWN":
      if (session) endSession(connection, session, "teardown");
      return { status: 200, session };
    case "FORWARD":
      return seekReply(connection, session!, session!.position + LAB_SKIP_FRAMES);
    case "BACKWARD":
      return seekReply(connection, session!, session!.position - LAB_SKIP_FRAMES);
    case "RESTART":
      return seekReply(connection, session!, 0);
  }
}

export function endSession(connection: ConnectionContext, session: StreamSession, why: string, sayGoodbye = true): void {
  session.end(sayGoodbye);
  connection.sessions.delete(session.id);
  for (const [channel, owner] of connection.rtcpChannels) if (owner === session) connection.rtcpChannels.delete(channel);
  connection.server.sessionEnded(session, why);
}

async function findMovie(uri: string, connection: ConnectionContext): Promise<ServedMovie | Reply> {
  try {
    const movie = await connection.server.library.find(uri);
    return movie instanceof MoviePathError ? errorReply(movie.status, movie.message) : movie;
  } catch (error) {
    return errorReply(415, error instanceof Error ? error.message : String(error));
  }
}

/** Content-Base: the request URL with a trailing slash, so `track1` resolves below the movie. */
function contentBase(uri: string): string {
  const base = uri.replace(/[?#].*$/, "");
  return base.endsWith("/") ? base : `${base}/`;
}

async function rtpFramesOf(movie: ServedMovie): Promise<RtpFrames | Reply> {
  try {
    return await movie.rtpFrames();
  } catch (error) {
    if (error instanceof MovieError) return errorReply(415, `${movie.name} cannot be streamed as RTP/JPEG: ${error.message}`);
    throw error;
  }
}

async function describe(request: RtspRequest, connection: ConnectionContext, session?: StreamSession): Promise<Reply> {
  const movie = await findMovie(request.uri, connection);
  if (!(movie instanceof ServedMovie)) return { ...movie, session };
  if (isLabRequest(request, session)) {
    const text = labDescription(movie, request.version, connection.server.fps, session);
    return { status: 200, session, movie, body: { contentType: "text/plain", bytes: textEncoder.encode(text) } };
  }
  const frames = await rtpFramesOf(movie);
  if (!(frames instanceof RtpFrames)) return { ...frames, session };
  const info = frames.movie.info();
  const sdp = buildJpegSdp({
    sessionId: String(Date.now()),
    serverAddress: connection.localAddress,
    name: movie.name,
    framerate: connection.server.fps,
    durationSeconds: frames.frameCount / connection.server.fps,
    width: info.width,
    height: info.height,
  });
  return {
    status: 200,
    session,
    headers: [["Content-Base", contentBase(request.uri)]],
    body: { contentType: "application/sdp", bytes: textEncoder.encode(sdp) },
  };
}

function freeChannels(connection: ConnectionContext): [number, number] {
  let channel = 0;
  while (connection.rtcpChannels.has(channel + 1)) channel += 2;
  return [channel, channel + 1];
}

async function setup(request: RtspRequest, connection: ConnectionContext, existing?: StreamSession): Promise<Reply> {
  const header = getHeader(request.headers, "Transport");
  if (header === undefined) return errorReply(400, "missing Transport header");
  let specs: TransportSpec[];
  try {
    specs = parseTransport(header);
  } catch (error) {
    if (error instanceof TransportError) return errorReply(400, `bad Transport header: ${error.message}`);
    throw error;
  }
  // RTP goes to the RTSP peer only: anything else would let one request aim our stream at a third party.
  const foreign = specs.find((spec) => spec.destination !== undefined && !sameAddress(spec.destination, connection.remoteAddress));
  if (foreign) return { ...errorReply(403, `destination=${foreign.destination} refused: media goes only to the RTSP peer`), session: existing };
  const choice = chooseTransport(specs, freeChannels(connection));
  if (!choice) return { ...errorReply(461, `unsupported transport: ${header}`), session: existing };
  const dialect: Dialect = choice.kind === "lab-udp" ? "lab" : "standard";
  if (existing && existing.dialect !== dialect) return { ...errorReply(461, "a session cannot change dialect"), session: existing };
  if (choice.kind === "tcp" && connection.rtcpChannels.has(choice.channels[1]) && connection.rtcpChannels.get(choice.channels[1]) !== existing) {
    return { ...errorReply(461, `interleaved channels ${choice.channels.join("-")} are taken`), session: existing };
  }

  if (!existing && connection.server.sessionCount >= connection.server.maxSessions) {
    return errorReply(503, `the server has reached its limit of ${connection.server.maxSessions} sessions`);
  }
  const movie = await findMovie(request.uri, connection);
  if (!(movie instanceof ServedMovie)) return { ...movie, session: existing };
  if (existing && movie !== existing.movie) {
    return { ...errorReply(459, `session ${existing.id} streams ${existing.movie.name}; set up ${movie.name} in a session of its own`), session: existing };
  }
  const frames = dialect === "lab" ? movie.wholeFrames : await rtpFramesOf(movie);
  if (!(frames instanceof RtpFrames || frames instanceof WholeJpegFrames)) return { ...frames, session: existing };
  // The rest of the movie's packets are built in the background, so this play and the next do not build them.
  void frames.prepare();

  let session = existing;
  const onRtcp = (bytes: Uint8Array) => {
    if (session) connection.server.rtcpReceived(session, bytes);
  };
  let transport: MediaTransport;
  let reply: TransportSpec;
  if (choice.kind === "tcp") {
    transport = new InterleavedTransport(connection.writer, choice.channels, connection.server.maxQueuedBytes);
    reply = { protocol: "RTP/AVP/TCP", lowerTransport: "TCP", unicast: true, interleaved: choice.channels };
  } else {
    const rtcpPort = choice.kind === "udp" ? choice.rtcpPort : undefined;
    const udp = await UdpTransport.open(connection.localAddress, { address: connection.remoteAddress, rtpPort: choice.rtpPort, rtcpPort }, onRtcp, connection.server.gso);
    transport = udp;
    reply =
      choice.kind === "lab-udp"
        ? { protocol: "RTP/UDP", lowerTransport: "UDP", unicast: true, clientPort: [choice.rtpPort] }
        : { protocol: "RTP/AVP", lowerTransport: "UDP", unicast: true, clientPort: [choice.rtpPort, rtcpPort], serverPort: udp.serverPorts };
  }

  if (session) {
    session.replaceTransport(transport);
  } else {
    session = new StreamSession({
      id: connection.server.newSessionId(),
      dialect,
      movie,
      frames,
      transport,
      pacer: connection.server.pacer,
      fps: connection.server.fps,
      controlUrl: request.uri,
      clientRtpPort: choice.kind === "tcp" ? undefined : choice.rtpPort,
      cname: `rtsp@${connection.localAddress}`,
      onEndOfMovie: (ended) => connection.server.sessionEvent(ended, "reached the end of the movie"),
    });
    connection.sessions.set(session.id, session);
    connection.server.sessionStarted(session, connection);
  }
  if (choice.kind === "tcp") connection.rtcpChannels.set(choice.channels[1], session);
  if (dialect === "standard") reply.ssrc = session.ssrc;
  return { status: 200, session, movie, headers: [["Transport", serializeTransport(reply)]] };
}

function play(request: RtspRequest, connection: ConnectionContext, session: StreamSession): Reply {
  const fps = connection.server.fps;
  const rangeHeader = getHeader(request.headers, "Range");
  let start: number | undefined;
  if (rangeHeader !== undefined && session.dialect === "standard") {
    try {
      start = parseRange(rangeHeader).start;
    } catch (error) {
      if (error instanceof RangeHeaderError) return { ...errorReply(457, `bad Range: ${rangeHeader}`), session };
      throw error;
    }
    if (start !== undefined && start > session.durationSeconds) {
      return { ...errorReply(457, `Range starts after the end (${session.durationSeconds.toFixed(3)} s)`), session };
    }
  }
  if (start !== undefined) {
    session.position = Math.min(session.frameCount - 1, Math.floor(start * fps + 1e-9));
  } else if (session.position >= session.frameCount) {
    // Played to the end: PLAY plays it again rather than sending nothing.
    session.position = 0;
  }
  const firstFrame = session.position + 1;
  const afterWrite = () => {
    // Frame 0 is due the moment the reply is out; the log line (about a millisecond) comes after it.
    session.play();
    connection.server.sessionEvent(session, `playing from frame ${firstFrame}`);
  };
  if (session.dialect === "lab") return { status: 200, session, afterWrite };
  const headers: [string, string][] = [
    ["Range", serializeRange({ start: session.position / fps, end: session.durationSeconds })],
    ["RTP-Info", serializeRtpInfo([{ url: session.controlUrl, seq: session.sequenceNumber, rtptime: session.timestampOf(session.position) }])],
  ];
  return { status: 200, session, headers, afterWrite };
}

function seekReply(connection: ConnectionContext, session: StreamSession, frameIndex: number): Reply {
  session.seek(frameIndex);
  connection.server.sessionEvent(session, `moved to frame ${session.position + 1}`);
  return { status: 200, session };
}
