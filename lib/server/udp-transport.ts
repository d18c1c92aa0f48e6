// RTP (and RTCP) over UDP to the RTSP peer's own address. The server's RTP/RTCP sockets sit on an even/odd port
// pair as RFC 3550 §11 asks; the lab dialect needs no RTCP, so it gets one socket on any port. The RTP socket is
// connected to the client's RTP port: the kernel then skips a route lookup per datagram and Bun an address parse,
// and a frame's packets leave in one sendmmsg (sendMany).
import type { udp } from "bun";
import type { MediaTransport } from "./media-transport.ts";
import type { SharedPacket } from "./movie-library.ts";

const MAX_DATAGRAM = 65_507;
const PAIR_ATTEMPTS = 50;

export interface UdpDestination {
  address: string;
  rtpPort: number;
  /** Absent for the lab dialect (no RTCP). */
  rtcpPort?: number;
}

type Socket = udp.Socket<"uint8array">;
type ConnectedSocket = udp.ConnectedSocket<"uint8array">;

/** ICMP port-unreachable from a client that stopped listening surfaces as an error; the session timeout handles it. */
const ignoreErrors = () => {};

// Both binders are async because Bun.udpSocket throws a taken port (EADDRINUSE) synchronously instead of rejecting:
// as async functions they turn it into the rejection bindPorts retries on.
async function bindRtpSocket(hostname: string, port: number, destination: UdpDestination): Promise<ConnectedSocket> {
  return Bun.udpSocket({
    hostname,
    port,
    binaryType: "uint8array",
    connect: { hostname: destination.address, port: destination.rtpPort },
    socket: { error: ignoreErrors },
  });
}

async function bindRtcpSocket(hostname: string, port: number, onData: (bytes: Uint8Array) => void): Promise<Socket> {
  return Bun.udpSocket({
    hostname,
    port,
    binaryType: "uint8array",
    socket: { data: (_socket, data) => onData(data), error: ignoreErrors },
  });
}

/**
 * The RTP socket on an ephemeral port (even, with RTCP on the odd port above, when `onRtcp` is given). The odd port may
 * be taken by any other UDP socket on the machine, and under a burst of sessions the ephemeral bind itself can fail with
 * EADDRINUSE (seen in the 10,000-cycle soak); either is retried on another pair.
 */
async function bindPorts(
  hostname: string,
  destination: UdpDestination,
  onRtcp: ((bytes: Uint8Array) => void) | undefined,
): Promise<[ConnectedSocket, Socket | undefined]> {
  for (let attempt = 0; attempt < PAIR_ATTEMPTS; attempt++) {
    const rtp = await bindRtpSocket(hostname, 0, destination).catch(() => undefined);
    if (!rtp) continue;
    if (!onRtcp) return [rtp, undefined];
    if (rtp.port % 2 === 0 && rtp.port < 65535) {
      const rtcp = await bindRtcpSocket(hostname, rtp.port + 1, onRtcp).catch(() => undefined);
      if (rtcp) return [rtp, rtcp];
    }
    rtp.close();
  }
  throw new Error(onRtcp ? "no free even/odd UDP port pair for RTP/RTCP" : "no free UDP port for RTP");
}

export class UdpTransport implements MediaTransport {
  readonly congested = false;
  /** Reused for every frame: sendMany's list of datagrams. */
  private readonly outgoing: Uint8Array[] = [];

  private constructor(
    private readonly destination: UdpDestination,
    private readonly rtp: ConnectedSocket,
    private readonly rtcp: Socket | undefined,
  ) {}

  /** `hostname` is the local address to bind (the one the RTSP connection arrived on). */
  static async open(hostname: string, destination: UdpDestination, onRtcp: (bytes: Uint8Array) => void): Promise<UdpTransport> {
    const [rtp, rtcp] = await bindPorts(hostname, destination, destination.rtcpPort === undefined ? undefined : onRtcp);
    return new UdpTransport(destination, rtp, rtcp);
  }

  get serverPorts(): [number, number] {
    return [this.rtp.port, this.rtcp?.port ?? this.rtp.port + 1];
  }

  sendRtpPackets(packets: readonly SharedPacket[]): void {
    if (this.rtp.closed) return;
    const outgoing = this.outgoing;
    for (let i = 0; i < packets.length; i++) {
      if (packets[i].datagram.length <= MAX_DATAGRAM) outgoing.push(packets[i].datagram);
    }
    if (outgoing.length === 1) this.rtp.send(outgoing[0]);
    else if (outgoing.length > 1) this.rtp.sendMany(outgoing);
    outgoing.length = 0;
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
