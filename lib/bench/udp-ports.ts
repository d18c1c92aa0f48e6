// UDP receive sockets for the measuring clients, bound on consecutive ports from a base so 1000 streams never
// collide with each other, skipping ports something else already holds. Arrival times come from the kernel where
// it can give them (KernelStampedSockets), else from Bun's socket callback.
import { anyAddress, type Family } from "../client/udp-sockets.ts";
import { KernelStampedSockets } from "./kernel-stamped-sockets.ts";

export interface ReceiveSocket {
  readonly port: number;
  close(): void;
}
/** `datagram` may be only the first bytes of a longer datagram, and is only valid during the call. */
export type DatagramHandler = (datagram: Uint8Array, arrivalMs: number) => void;
/** Whose time a datagram's arrival is: the kernel's as it reached the socket, or the measuring callback's. */
export type ArrivalClock = "kernel" | "callback";

export const defaultArrivalClock: ArrivalClock = KernelStampedSockets.supported ? "kernel" : "callback";

/** Ports to try before giving up on one stream: enough to step over another program's block of ports. */
const BIND_ATTEMPTS = 200;

export class UdpPortAllocator {
  /** The kernel-stamped sockets, when the clock is the kernel's: also what times a PLAY reply on that clock. */
  readonly kernel: KernelStampedSockets | undefined;

  constructor(
    private next: number,
    readonly clock: ArrivalClock = defaultArrivalClock,
  ) {
    if (clock === "kernel" && !KernelStampedSockets.supported) throw new Error("kernel arrival times need Linux with glibc");
    this.kernel = clock === "kernel" ? new KernelStampedSockets() : undefined;
  }

  /** The clock a stream's frames are timed by: interleaved (TCP) frames come through Bun's callbacks whatever the choice. */
  clockFor(transport: "udp" | "tcp"): ArrivalClock {
    return transport === "udp" ? this.clock : "callback";
  }

  /** Hands every datagram already arrived to its handler, so results read next miss none. */
  drain(): void {
    this.kernel?.drain();
  }

  /**
   * An even RTP port and, when `withRtcp`, the RTCP port just above it (RFC 3550 §11), on every address of the
   * RTSP connection's family, so a server on another host or on IPv6 reaches them.
   */
  async bindPair(onRtp: DatagramHandler, withRtcp: boolean, family: Family): Promise<{ rtp: ReceiveSocket; rtcp?: ReceiveSocket }> {
    const hostname = anyAddress(family);
    for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      const port = this.next;
      this.next += 2;
      if (port + 1 > 65535) break;
      const rtp = await this.bindOrUndefined(hostname, port, onRtp);
      if (!rtp) continue;
      if (!withRtcp) return { rtp };
      // RTCP is bound so the server's sender reports land somewhere; the bench does not read them.
      const rtcp = await this.bindOrUndefined(hostname, port + 1, () => {});
      if (rtcp) return { rtp, rtcp };
      rtp.close();
    }
    throw new Error(`no free UDP port pair near ${this.next}`);
  }

  private async bindOrUndefined(hostname: string, port: number, onDatagram: DatagramHandler): Promise<ReceiveSocket | undefined> {
    try {
      if (this.kernel) return this.kernel.bind(hostname, port, onDatagram);
      return await Bun.udpSocket({
        hostname,
        port,
        socket: { data: (_socket, datagram) => onDatagram(datagram, performance.now()) },
      });
    } catch {
      return undefined;
    }
  }
}
