// One light measuring client: RTSP control to PLAY, then only the arrival time of each frame's last packet
// (standard: the RTP marker packet; lab: the frame's single datagram). No reassembly, no decoding, so 1000 of
// these fit in one process.
import { parseStreamUrl, resolveControlUrl } from "../client/rtsp-url.ts";
import { JPEG_CLOCK_RATE } from "../rtp/packet.ts";
import { getHeader, type HeaderList, type RtspResponse } from "../rtsp/message.ts";
import { parseSessionHeader } from "../rtsp/session-header.ts";
import { parseSdp } from "../sdp/session-description.ts";
import { ArrivalLog } from "./arrival-log.ts";
import { ControlConnection, type BenchDialect } from "./control-connection.ts";
import type { ReceiveSocket, UdpPortAllocator } from "./udp-ports.ts";

export type BenchTransport = "udp" | "tcp";

export interface ProbeOptions {
  url: string;
  dialect: BenchDialect;
  transport: BenchTransport;
  ports: UdpPortAllocator;
}

const DEFAULT_PERIOD_MS = 50;
/** Well inside the usual 60 s session timeout: the bench sends no RTCP receiver reports to keep sessions alive. */
const KEEP_ALIVE_MS = 20_000;
const REPLY_TIMEOUT_MS = 10_000;

export class ProbeStream {
  readonly arrivals = new ArrivalLog();
  packets = 0;
  /** From SDP a=framerate when the server gives one, else the 50 ms target. */
  periodMs = DEFAULT_PERIOD_MS;
  /** When the PLAY reply reached the measuring callback (the window starts from it). */
  playReplyMs: number | null = null;
  /** When it reached this machine, on the frames' clock: the kernel's when the frames are kernel-stamped. */
  playReplyArrivalMs: number | null = null;
  firstFrameMs: number | null = null;
  private firstTimestamp: number | undefined;
  private control: ControlConnection | undefined;
  private sockets: ReceiveSocket[] = [];
  private session = "";
  private aggregateUri = "";
  private keepAlive: ReturnType<typeof setInterval> | undefined;

  private constructor(private readonly options: ProbeOptions) {}

  /** Connects, sets up and plays; on failure everything opened so far is closed before the error propagates. */
  static async play(options: ProbeOptions): Promise<ProbeStream> {
    const stream = new ProbeStream(options);
    try {
      await (options.dialect === "lab" ? stream.playLab() : stream.playStandard());
    } catch (error) {
      stream.closeSockets();
      throw error;
    }
    return stream;
  }

  /** From the PLAY reply's arrival to the first frame's, both on one clock; null when either is unknown. */
  get firstFrameAfterPlayMs(): number | null {
    return this.playReplyArrivalMs === null || this.firstFrameMs === null ? null : this.firstFrameMs - this.playReplyArrivalMs;
  }

  /** TEARDOWN (best effort: a server that already ended the session is fine), then close every socket. */
  async close(): Promise<void> {
    clearInterval(this.keepAlive);
    try {
      const headers: [string, string][] = [["Session", this.session]];
      await this.control?.request("TEARDOWN", this.aggregateUri, headers, 3_000);
    } catch {
      // The measurement is already taken; a lost TEARDOWN reply changes nothing.
    }
    this.closeSockets();
  }

  private closeSockets(): void {
    this.control?.close();
    for (const socket of this.sockets) socket.close();
    this.sockets = [];
  }

  private async playLab(): Promise<void> {
    const stream = parseStreamUrl(this.options.url);
    this.control = await ControlConnection.open(stream.host, stream.port, "lab");
    const { rtp } = await this.options.ports.bindPair((datagram, arrivalMs) => this.onLabDatagram(datagram, arrivalMs), false, this.control.family);
    this.sockets.push(rtp);
    // The lab server reads the port as the fourth space-separated word of this exact line.
    this.aggregateUri = stream.labName;
    const setup = await this.control.request("SETUP", this.aggregateUri, [["Transport", `RTP/UDP; client_port= ${rtp.port}`]]);
    this.session = sessionOf(expectOk("SETUP", setup.response));
    expectOk("PLAY", await this.sendPlay(this.aggregateUri, [["Session", this.session]], true));
  }

  private async playStandard(): Promise<void> {
    const stream = parseStreamUrl(this.options.url);
    const tcp = this.options.transport === "tcp";
    this.control = await ControlConnection.open(stream.host, stream.port, "rtsp", (channel, payload, arrivalMs) => {
      if (channel === 0) this.onRtpPacket(payload, arrivalMs);
    });
    const describe = await this.control.request("DESCRIBE", this.options.url, [["Accept", "application/sdp"]]);
    const sdp = parseSdp(new TextDecoder().decode(expectOk("DESCRIBE", describe.response).body));
    const video = sdp.media.find((media) => media.type === "video");
    if (!video) throw new Error("DESCRIBE: the SDP has no video stream");
    if (video.framerate) this.periodMs = 1000 / video.framerate;
    this.aggregateUri = getHeader(describe.response.headers, "Content-Base") ?? this.options.url;
    const trackUri = resolveControlUrl(this.aggregateUri, video.control ?? sdp.control);

    let transport: string;
    if (tcp) {
      transport = "RTP/AVP/TCP;unicast;interleaved=0-1";
    } else {
      const { rtp, rtcp } = await this.options.ports.bindPair((datagram, arrivalMs) => this.onRtpPacket(datagram, arrivalMs), true, this.control.family);
      this.sockets.push(rtp, rtcp!);
      transport = `RTP/AVP;unicast;client_port=${rtp.port}-${rtcp!.port}`;
    }
    const setup = await this.control.request("SETUP", trackUri, [["Transport", transport]]);
    this.session = sessionOf(expectOk("SETUP", setup.response));
    const playUri = resolveControlUrl(this.aggregateUri, sdp.control);
    expectOk("PLAY", await this.sendPlay(playUri, [["Session", this.session], ["Range", "npt=0-"]], !tcp));
    this.keepAlive = setInterval(() => {
      this.control?.request("GET_PARAMETER", this.aggregateUri, [["Session", this.session]]).catch(() => {});
    }, KEEP_ALIVE_MS);
  }

  /**
   * Sends PLAY and times its reply. Frames stamped by the kernel (UDP) need the reply's kernel time too: a callback
   * time would carry the measurer's own delay in reading it and put the first frame before the reply.
   */
  private async sendPlay(uri: string, headers: HeaderList, udp: boolean): Promise<RtspResponse> {
    const control = this.control!;
    const kernel = udp ? this.options.ports.kernel : undefined;
    if (kernel) {
      const play = await control.requestWithArrival("PLAY", uri, headers, (fd) => kernel.nextArrival(fd, REPLY_TIMEOUT_MS));
      this.playReplyMs = play.arrivalMs;
      this.playReplyArrivalMs = play.kernelArrivalMs ?? null;
      return play.response;
    }
    const play = await control.request("PLAY", uri, headers, REPLY_TIMEOUT_MS);
    this.playReplyMs = this.playReplyArrivalMs = play.arrivalMs;
    return play.response;
  }

  /** Hot path: read the three header fields in place instead of decoding the packet. */
  private onRtpPacket(packet: Uint8Array, arrivalMs: number): void {
    this.packets++;
    if (packet.length < 12 || (packet[1] & 0x80) === 0) return;
    const timestamp = ((packet[4] << 24) | (packet[5] << 16) | (packet[6] << 8) | packet[7]) >>> 0;
    this.firstTimestamp ??= timestamp;
    // Signed 32-bit difference, so a wrap of the RTP clock or a frame reordered before the first stays right.
    const ticks = (timestamp - this.firstTimestamp) | 0;
    this.record(1 + Math.round(ticks / ((JPEG_CLOCK_RATE * this.periodMs) / 1000)), arrivalMs);
  }

  /** The lab's RTP sequence number is the frame number. */
  private onLabDatagram(datagram: Uint8Array, arrivalMs: number): void {
    this.packets++;
    if (datagram.length < 12) return;
    this.record((datagram[2] << 8) | datagram[3], arrivalMs);
  }

  private record(number: number, arrivalMs: number): void {
    this.firstFrameMs ??= arrivalMs;
    this.arrivals.add(number, arrivalMs);
  }
}

function expectOk(method: string, response: RtspResponse): RtspResponse {
  if (response.status !== 200) throw new Error(`${method}: ${response.status} ${response.reason}`);
  return response;
}

function sessionOf(response: RtspResponse): string {
  const value = getHeader(response.headers, "Session");
  if (!value) throw new Error("SETUP: the reply has no Session header");
  return parseSessionHeader(value).id;
}
