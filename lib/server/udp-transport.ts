// RTP (and RTCP) over UDP to the RTSP peer's own address. The server's RTP/RTCP sockets sit on an even/odd port
// pair as RFC 3550 §11 asks; the lab dialect needs no RTCP, so it gets one socket on any port.
import type { udp } from "bun";
import { RTP_HEADER_BYTES, writeRtpHeader, type RtpHeader } from "../rtp/packet.ts";
import type { MediaTransport } from "./media-transport.ts";

const MAX_DATAGRAM = 65_507;
const PAIR_ATTEMPTS = 50;

/** Sends are synchronous copies into the kernel, so one scratch buffer serves every UDP session. */
const scratch = new Uint8Array(MAX_DATAGRAM);

export interface UdpDestination {
  address: string;
  rtpPort: number;
  /** Absent for the lab dialect (no RTCP). */
  rtcpPort?: number;
}

type Socket = udp.Socket<"uint8array">;

async function bindSocket(hostname: string, port: number, onData?: (bytes: Uint8Array) => void): Promise<Socket> {
  return Bun.udpSocket({
    hostname,
    port,
    binaryType: "uint8array",
    socket: {
      data: (_socket, data) => onData?.(data),
      // ICMP port-unreachable from a client that stopped listening surfaces here; the session timeout handles it.
      error: () => {},
    },
  });
}

async function bindEvenOddPair(hostname: string, onRtcp: (bytes: Uint8Array) => void): Promise<[Socket, Socket]> {
  for (let attempt = 0; attempt < PAIR_ATTEMPTS; attempt++) {
    const rtp = await bindSocket(hostname, 0);
    if (rtp.port % 2 === 0 && rtp.port < 65535) {
      const rtcp = await bindSocket(hostname, rtp.port + 1, onRtcp).catch(() => undefined);
      if (rtcp) return [rtp, rtcp];
    }
    rtp.close();
  }
  throw new Error("no free even/odd UDP port pair for RTP/RTCP");
}

export class UdpTransport implements MediaTransport {
  readonly congested = false;

  private constructor(
    private readonly destination: UdpDestination,
    private readonly rtp: Socket,
    private readonly rtcp: Socket | undefined,
  ) {}

  /** `hostname` is the local address to bind (the one the RTSP connection arrived on). */
  static async open(hostname: string, destination: UdpDestination, onRtcp: (bytes: Uint8Array) => void): Promise<UdpTransport> {
    if (destination.rtcpPort === undefined) return new UdpTransport(destination, await bindSocket(hostname, 0), undefined);
    const [rtp, rtcp] = await bindEvenOddPair(hostname, onRtcp);
    return new UdpTransport(destination, rtp, rtcp);
  }

  get serverPorts(): [number, number] {
    return [this.rtp.port, this.rtcp?.port ?? this.rtp.port + 1];
  }

  sendRtp(header: RtpHeader, payload: Uint8Array): void {
    const length = RTP_HEADER_BYTES + payload.length;
    if (length > MAX_DATAGRAM || this.rtp.closed) return;
    writeRtpHeader(scratch, 0, header);
    scratch.set(payload, RTP_HEADER_BYTES);
    this.rtp.send(scratch.subarray(0, length), this.destination.rtpPort, this.destination.address);
  }

  sendRtcp(packet: Uint8Array): void {
    if (this.rtcp && !this.rtcp.closed && this.destination.rtcpPort !== undefined) {
      this.rtcp.send(packet, this.destination.rtcpPort, this.destination.address);
    }
  }

  close(): void {
    this.rtp.close();
    this.rtcp?.close();
  }
}
