// The classic lab dialect: `\n` requests with the bare file name, one UDP datagram per frame carrying the whole JPEG,
// sequence number = frame number. RTSP/1.4 adds FORWARD / BACKWARD (±20 frames), RESTART and a `Frames:` reply header.
import { getHeader, type HeaderList } from "../rtsp/message.ts";
import { decodeRtp, JPEG_CLOCK_RATE } from "../rtp/packet.ts";
import { ClientError } from "./client-error.ts";
import type { DialectDriver, MediaCallbacks } from "./dialect-driver.ts";
import { RtspConnection, type RtspReply } from "./rtsp-connection.ts";
import type { StreamUrl } from "./rtsp-url.ts";
import { requireSuccess } from "./status-check.ts";
import { bindUdp, type UdpReceiver } from "./udp-sockets.ts";

export const LAB_FPS = 20;
/** The lab server moves by this many frames per FORWARD or BACKWARD. */
export const LAB_SKIP_FRAMES = 20;

export type LabVersion = "RTSP/1.0" | "RTSP/1.4";

export interface LabDriverOptions {
  stream: StreamUrl;
  /** UDP port announced in `client_port=`; 0 = any free port. */
  clientPort: number;
  version: LabVersion;
  replyTimeoutMs: number;
  media: MediaCallbacks;
}

export class LabDriver implements DialectDriver {
  readonly dialect = "lab";
  readonly transport = "udp";
  readonly fps = LAB_FPS;
  totalFrames: number | null = null;
  private receiver: UdpReceiver | undefined;

  private constructor(
    private readonly options: LabDriverOptions,
    private readonly connection: RtspConnection,
  ) {}

  static async connect(options: LabDriverOptions): Promise<LabDriver> {
    const connection = await RtspConnection.open({
      host: options.stream.host,
      port: options.stream.port,
      lab: true,
      replyTimeoutMs: options.replyTimeoutMs,
      credentials: options.stream.credentials,
      onClose: (error) => options.media.connectionLost(error),
    });
    return new LabDriver(options, connection);
  }

  async describe(): Promise<string> {
    const reply = await this.send("DESCRIBE");
    return new TextDecoder().decode(reply.body);
  }

  async setup(): Promise<void> {
    this.receiver ??= await bindUdp(this.options.clientPort, this.connection.family, (datagram) => this.onDatagram(datagram));
    // Exactly the reference client's header: its server reads the port as `request[2].split(' ')[3]`.
    const reply = await this.send("SETUP", [["Transport", `RTP/UDP; client_port= ${this.receiver.port}`]]);
    const frames = Number(getHeader(reply.headers, "Frames"));
    if (Number.isInteger(frames) && frames > 0) this.totalFrames = frames;
  }

  async play(): Promise<number> {
    return (await this.send("PLAY")).receivedAtMs;
  }

  async pause(): Promise<void> {
    await this.send("PAUSE");
  }

  async teardown(): Promise<void> {
    try {
      await this.send("TEARDOWN");
    } finally {
      this.receiver?.close();
      this.receiver = undefined;
    }
  }

  async skip(deltaFrames: number): Promise<void> {
    this.requireLab14("FORWARD / BACKWARD");
    const method = deltaFrames >= 0 ? "FORWARD" : "BACKWARD";
    const steps = Math.max(1, Math.round(Math.abs(deltaFrames) / LAB_SKIP_FRAMES));
    for (let i = 0; i < steps; i++) await this.send(method);
    this.options.media.newPosition();
  }

  async restart(): Promise<void> {
    this.requireLab14("RESTART");
    await this.send("RESTART");
    this.options.media.newPosition();
  }

  close(): void {
    this.receiver?.close();
    this.receiver = undefined;
    this.connection.close();
  }

  private requireLab14(what: string): void {
    if (this.options.version !== "RTSP/1.4") throw new ClientError("protocol", `${what} needs the lab's RTSP/1.4`);
  }

  private async send(method: string, headers: HeaderList = []): Promise<RtspReply> {
    const name = this.options.stream.labName;
    const reply = await this.connection.request(method, name, headers, { version: this.options.version });
    return requireSuccess(reply, name);
  }

  private onDatagram(datagram: Uint8Array): void {
    const arrivalMs = performance.now();
    const packet = decodeRtp(datagram);
    if (packet instanceof Error) return;
    const number = packet.sequenceNumber;
    // The lab's timestamp is whole wall-clock seconds; jitter is measured against the nominal frame clock instead.
    const nominalTimestamp = Math.round(((number - 1) * JPEG_CLOCK_RATE) / LAB_FPS);
    this.options.media.packet(number, nominalTimestamp, arrivalMs);
    this.options.media.frame(number, packet.payload, arrivalMs);
  }
}
