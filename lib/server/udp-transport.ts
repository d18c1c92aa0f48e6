// RTP (and RTCP) over UDP to the RTSP peer's own address. The server's RTP/RTCP sockets sit on an even/odd port
// pair as RFC 3550 §11 asks; the lab dialect needs no RTCP, so it gets one socket on any port. The RTP socket is
// connected to the client's RTP port: the kernel then skips a route lookup per datagram and Bun an address parse.
// A frame's packets leave in one UDP GSO send where Linux offers it (gso-socket.ts), else in one sendmmsg (sendMany).
import type { udp } from "bun";
import { GsoSocket, gsoSupported } from "./gso-socket.ts";
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

/** Where a session's RTP datagrams leave: a GSO socket or one of Bun's. */
export interface RtpSocket {
  readonly port: number;
  readonly closed: boolean;
  /** One frame's datagrams, in order. */
  send(datagrams: readonly Uint8Array[]): void;
  close(): void;
}

/** Bun's connected UDP socket as an RtpSocket: a frame in one sendmmsg (also the floor script's `sendMany` sender). */
export class BunRtpSocket implements RtpSocket {
  constructor(private readonly socket: udp.ConnectedSocket<"uint8array">) {}

  get port(): number {
    return this.socket.port;
  }

  get closed(): boolean {
    return this.socket.closed;
  }

  send(datagrams: readonly Uint8Array[]): void {
    if (datagrams.length === 1) this.socket.send(datagrams[0]);
    else this.socket.sendMany(datagrams);
  }

  close(): void {
    this.socket.close();
  }
}

/** ICMP port-unreachable from a client that stopped listening surfaces as an error; the session timeout handles it. */
const ignoreErrors = () => {};

// Both binders are async because Bun.udpSocket throws a taken port (EADDRINUSE) synchronously instead of rejecting:
// as async functions they turn it into the rejection bindPorts retries on.
async function bindRtpSocket(hostname: string, port: number, destination: UdpDestination, gso: boolean): Promise<RtpSocket> {
  if (gso && gsoSupported) {
    try {
      return GsoSocket.open(hostname, port, { address: destination.address, port: destination.rtpPort });
    } catch (error) {
      // A taken port is for bindPorts to retry; anything else (an address libc will not take) is Bun's to try.
      if ((error as { code?: string }).code === "EADDRINUSE") throw error;
    }
  }
  const socket = await Bun.udpSocket({
    hostname,
    port,
    binaryType: "uint8array",
    connect: { hostname: destination.address, port: destination.rtpPort },
    socket: { error: ignoreErrors },
  });
  return new BunRtpSocket(socket);
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
  gso: boolean,
): Promise<[RtpSocket, Socket | undefined]> {
  for (let attempt = 0; attempt < PAIR_ATTEMPTS; attempt++) {
    const rtp = await bindRtpSocket(hostname, 0, destination, gso).catch(() => undefined);
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
    private readonly rtp: RtpSocket,
    private readonly rtcp: Socket | undefined,
  ) {}

  /**
   * `hostname` is the local address to bind (the one the RTSP connection arrived on). `gso` false keeps RTP on
   * Bun's sockets even where UDP GSO is available.
   */
  static async open(
    hostname: string,
    destination: UdpDestination,
    onRtcp: (bytes: Uint8Array) => void,
    gso: boolean,
  ): Promise<UdpTransport> {
    const [rtp, rtcp] = await bindPorts(hostname, destination, destination.rtcpPort === undefined ? undefined : onRtcp, gso);
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
    if (outgoing.length > 0) this.rtp.send(outgoing);
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
