// Standard RTSP 1.0 (RFC 2326): OPTIONS, DESCRIBE (SDP), SETUP over UDP (even port pair) or TCP interleaved, PLAY with
// Range, PAUSE, TEARDOWN, keep-alive within the session timeout, RTCP receiver reports, sender reports and BYE read.
import { getHeader, type HeaderList } from "../rtsp/message.ts";
import { parseRange, serializeRange } from "../rtsp/range.ts";
import { parseRtpInfo, type RtpInfoEntry } from "../rtsp/rtp-info.ts";
import { parseTransport, serializeTransport, type TransportSpec } from "../rtsp/transport.ts";
import { compactNtp, decodeRtcp, encodeRtcp } from "../rtp/rtcp.ts";
import { parseSdp } from "../sdp/session-description.ts";
import { ClientError } from "./client-error.ts";
import type { DialectDriver, MediaCallbacks } from "./dialect-driver.ts";
import { RtpJpegReceiver } from "./rtp-jpeg-receiver.ts";
import { RtspConnection, type RtspReply } from "./rtsp-connection.ts";
import { resolveControlUrl, type StreamUrl } from "./rtsp-url.ts";
import { requireSuccess } from "./status-check.ts";
import { bindRtpRtcpPair, type UdpPair } from "./udp-sockets.ts";

export interface StandardDriverOptions {
  stream: StreamUrl;
  transport: "auto" | "udp" | "tcp";
  clientPort: number;
  replyTimeoutMs: number;
  media: MediaCallbacks;
}

const DEFAULT_FPS = 20;
const DEFAULT_SESSION_TIMEOUT_S = 60;
const RECEIVER_REPORT_MS = 5000;
const UNSUPPORTED_TRANSPORT = 461;
const PROBE_TIMEOUT_MS = 1000;
const INTERLEAVED_CHANNELS: [number, number] = [0, 1];

export class StandardDriver implements DialectDriver {
  readonly dialect = "rtsp";
  transport: "udp" | "tcp";
  totalFrames: number | null = null;
  fps = DEFAULT_FPS;

  private readonly receiver: RtpJpegReceiver;
  private connection!: RtspConnection;
  private publicMethods: string[] = [];
  private mediaUrl: string | undefined;
  private aggregateUrl: string | undefined;
  private udp: UdpPair | undefined;
  private serverRtcp: { port: number; address: string } | undefined;
  private channels = INTERLEAVED_CHANNELS;
  private readonly ssrc = (Math.random() * 0xffffffff) >>> 0;
  private senderSsrc = 0;
  private lastSr = { compact: 0, atMs: 0 };
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private reports: ReturnType<typeof setInterval> | undefined;
  private playing = false;

  private constructor(private readonly options: StandardDriverOptions) {
    this.transport = options.transport === "tcp" ? "tcp" : "udp";
    this.receiver = new RtpJpegReceiver(options.media);
  }

  /**
   * Connects and sends OPTIONS. With `probe`, a server that does not answer within ~1 s, or answers lab-style (no blank
   * line), is not a standard server: the connection is closed and null returned.
   */
  static async connect(options: StandardDriverOptions, probe: boolean): Promise<StandardDriver | null> {
    const driver = new StandardDriver(options);
    driver.connection = await RtspConnection.open({
      host: options.stream.host,
      port: options.stream.port,
      lab: false,
      replyTimeoutMs: options.replyTimeoutMs,
      credentials: options.stream.credentials,
      onInterleaved: (channel, payload) => driver.onInterleaved(channel, payload),
      onClose: (error) => options.media.connectionLost(error),
    });
    let reply: RtspReply;
    try {
      reply = await driver.connection.request("OPTIONS", options.stream.url, [], probe ? { timeoutMs: PROBE_TIMEOUT_MS } : {});
    } catch (error) {
      if (!probe || !(error instanceof ClientError) || error.kind !== "timeout") throw error;
      driver.connection.close();
      return null;
    }
    if (probe && reply.unterminated) {
      driver.connection.close();
      return null;
    }
    driver.publicMethods = (getHeader(reply.headers, "Public") ?? "").split(",").map((m) => m.trim().toUpperCase());
    return driver;
  }

  async describe(): Promise<string> {
    const reply = await this.send("DESCRIBE", this.options.stream.url, [["Accept", "application/sdp"]]);
    const text = new TextDecoder().decode(reply.body);
    const sdp = parseSdp(text);
    const video = sdp.media.find((m) => m.type === "video" && m.rtpmap.some((r) => r.encoding.toUpperCase() === "JPEG")) ??
      sdp.media.find((m) => m.formats.includes(26));
    if (!video) throw new ClientError("protocol", "the server's SDP has no JPEG video stream");
    const base = getHeader(reply.headers, "Content-Base") ?? getHeader(reply.headers, "Content-Location") ?? this.options.stream.url;
    this.mediaUrl = resolveControlUrl(base, video.control);
    this.aggregateUrl = sdp.control !== undefined ? resolveControlUrl(base, sdp.control) : base;
    const framerate = video.framerate ?? Number(sdp.attributes.find(([name]) => name === "framerate")?.[1]);
    if (Number.isFinite(framerate) && framerate > 0) this.fps = framerate;
    if (sdp.range?.end !== undefined) this.totalFrames = Math.round((sdp.range.end - sdp.range.start) * this.fps);
    return text;
  }

  async setup(): Promise<void> {
    if (this.mediaUrl === undefined) await this.describe();
    if (this.transport === "udp") {
      const reply = await this.setupUdp();
      if (reply.status === UNSUPPORTED_TRANSPORT && this.options.transport === "auto") {
        this.closeUdp();
        this.transport = "tcp";
      } else {
        this.acceptSetup(reply);
        return;
      }
    }
    this.acceptSetup(await this.request("SETUP", this.mediaUrl!, [["Transport", serializeTransport(this.tcpSpec())]]));
  }

  async play(fromFrame?: number): Promise<number> {
    const headers: HeaderList = fromFrame === undefined ? [] : [["Range", serializeRange({ start: (fromFrame - 1) / this.fps })]];
    this.receiver.holdForPlay();
    const reply = await this.send("PLAY", this.aggregateUrl!, headers).catch((error: unknown) => {
      this.receiver.resume();
      throw error;
    });
    this.playing = true;
    this.receiver.restart(this.frameClock(reply, fromFrame));
    return reply.receivedAtMs;
  }

  async pause(): Promise<void> {
    await this.send("PAUSE", this.aggregateUrl!);
    this.playing = false;
  }

  async teardown(): Promise<void> {
    this.stopTimers();
    try {
      await this.send("TEARDOWN", this.aggregateUrl!);
    } finally {
      this.playing = false;
      this.connection.session = undefined;
      this.closeUdp();
    }
  }

  async skip(deltaFrames: number, currentFrame: number): Promise<void> {
    const last = this.totalFrames ?? Number.POSITIVE_INFINITY;
    await this.seek(Math.min(last, Math.max(1, currentFrame + deltaFrames)));
  }

  async restart(): Promise<void> {
    await this.seek(1);
  }

  async switchToTcp(): Promise<void> {
    await this.teardown().catch(() => undefined);
    this.transport = "tcp";
    await this.setup();
    await this.play();
  }

  drainMedia(): void {
    this.receiver.drain();
  }

  close(): void {
    this.stopTimers();
    this.closeUdp();
    this.connection.close();
  }

  private async seek(frame: number): Promise<void> {
    const wasPlaying = this.playing;
    if (wasPlaying) await this.pause();
    await this.play(frame);
    if (!wasPlaying) await this.pause();
  }

  private async setupUdp(): Promise<RtspReply> {
    this.udp ??= await bindRtpRtcpPair(
      this.options.clientPort,
      this.connection.family,
      (datagram) => this.receiver.push(datagram, performance.now()),
      (datagram, port, address) => this.onRtcp(datagram, port, address),
    );
    const spec: TransportSpec = { protocol: "RTP/AVP", lowerTransport: "UDP", unicast: true, clientPort: [this.udp.rtp.port, this.udp.rtcp.port] };
    return this.request("SETUP", this.mediaUrl!, [["Transport", serializeTransport(spec)]]);
  }

  private tcpSpec(): TransportSpec {
    return { protocol: "RTP/AVP/TCP", lowerTransport: "TCP", unicast: true, interleaved: INTERLEAVED_CHANNELS };
  }

  private acceptSetup(reply: RtspReply): void {
    requireSuccess(reply, this.options.stream.labName);
    const transportHeader = getHeader(reply.headers, "Transport");
    const spec = transportHeader === undefined ? undefined : parseTransport(transportHeader)[0];
    if (this.transport === "tcp") {
      const interleaved = spec?.interleaved;
      if (interleaved) this.channels = [interleaved[0], interleaved[1] ?? interleaved[0] + 1];
    } else if (spec?.serverPort?.[1] !== undefined) {
      this.serverRtcp = { port: spec.serverPort[1], address: spec.source ?? this.options.stream.host };
    }
    if (spec?.ssrc !== undefined) this.senderSsrc = spec.ssrc;
    this.startTimers();
  }

  private frameClock(reply: RtspReply, fromFrame: number | undefined) {
    const rangeHeader = getHeader(reply.headers, "Range");
    let start = fromFrame === undefined ? undefined : (fromFrame - 1) / this.fps;
    try {
      if (rangeHeader !== undefined) start = parseRange(rangeHeader).start ?? start;
    } catch {
      // An unreadable Range leaves the position we asked for.
    }
    const infoHeader = getHeader(reply.headers, "RTP-Info");
    let info: RtpInfoEntry | undefined;
    try {
      info = infoHeader === undefined ? undefined : parseRtpInfo(infoHeader)[0];
    } catch {
      // An unreadable RTP-Info: the first packet's timestamp and sequence number stand in for it.
    }
    return { rtpTime: info?.rtptime, sequence: info?.seq, firstFrame: Math.round((start ?? 0) * this.fps) + 1, fps: this.fps };
  }

  private startTimers(): void {
    this.stopTimers();
    const timeoutSeconds = this.connection.sessionTimeoutSeconds ?? DEFAULT_SESSION_TIMEOUT_S;
    const keepAliveMethod = this.publicMethods.includes("GET_PARAMETER") ? "GET_PARAMETER" : "OPTIONS";
    this.keepAlive = setInterval(() => {
      this.connection.request(keepAliveMethod, this.aggregateUrl ?? this.options.stream.url).catch(() => undefined);
    }, Math.max(1, timeoutSeconds / 2) * 1000);
    this.reports = setInterval(() => this.sendReceiverReport(), RECEIVER_REPORT_MS);
  }

  private stopTimers(): void {
    clearInterval(this.keepAlive);
    clearInterval(this.reports);
  }

  private sendReceiverReport(): void {
    const delay = this.lastSr.atMs === 0 ? 0 : Math.round(((performance.now() - this.lastSr.atMs) / 1000) * 65536);
    const packet = encodeRtcp([
      { type: "rr", ssrc: this.ssrc, reports: [this.options.media.reportBlock(this.senderSsrc, this.lastSr.compact, delay)] },
      { type: "sdes", chunks: [{ ssrc: this.ssrc, cname: "rtsp-play@127.0.0.1" }] },
    ]);
    if (this.transport === "tcp") this.connection.sendInterleaved(this.channels[1], packet);
    else if (this.udp && this.serverRtcp) {
      try {
        this.udp.rtcp.send(packet, this.serverRtcp.port, this.serverRtcp.address);
      } catch {
        // Bun throws what the kernel refuses (a Transport source= of the other address family, an unreachable
        // network). Reports are advisory: the play goes on without them, as it would if they were lost on the way.
      }
    }
  }

  private onInterleaved(channel: number, payload: Uint8Array): void {
    if (channel === this.channels[0]) this.receiver.push(payload, performance.now());
    else if (channel === this.channels[1]) this.onRtcp(payload);
  }

  private onRtcp(datagram: Uint8Array, port?: number, address?: string): void {
    if (port !== undefined && address !== undefined && !this.serverRtcp) this.serverRtcp = { port, address };
    const packets = decodeRtcp(datagram);
    if (packets instanceof Error) return;
    for (const packet of packets) {
      if (packet.type === "sr") {
        this.senderSsrc = packet.ssrc;
        this.lastSr = { compact: compactNtp(packet.ntpTime), atMs: performance.now() };
        this.options.media.senderReport({ packetCount: packet.packetCount, octetCount: packet.octetCount });
      } else if (packet.type === "bye") {
        this.options.media.streamEnded();
      }
    }
  }

  private closeUdp(): void {
    this.udp?.rtp.close();
    this.udp?.rtcp.close();
    this.udp = undefined;
    this.serverRtcp = undefined;
  }

  private request(method: string, url: string, headers: HeaderList = []): Promise<RtspReply> {
    return this.connection.request(method, url, headers);
  }

  private async send(method: string, url: string, headers: HeaderList = []): Promise<RtspReply> {
    return requireSuccess(await this.request(method, url, headers), this.options.stream.labName);
  }
}
