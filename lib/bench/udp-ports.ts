// UDP receive sockets for the measuring clients, bound on consecutive ports from a base so 1000 streams never
// collide with each other, skipping ports something else already holds.
import type { udp } from "bun";
import { anyAddress, type Family } from "../client/udp-sockets.ts";

export type ReceiveSocket = udp.Socket<"buffer">;
export type DatagramHandler = (datagram: Uint8Array, arrivalMs: number) => void;

/** Ports to try before giving up on one stream: enough to step over another program's block of ports. */
const BIND_ATTEMPTS = 200;

export class UdpPortAllocator {
  constructor(private next: number) {}

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
      const rtp = await bindOrUndefined(hostname, port, onRtp);
      if (!rtp) continue;
      if (!withRtcp) return { rtp };
      // RTCP is bound so the server's sender reports land somewhere; the bench does not read them.
      const rtcp = await bindOrUndefined(hostname, port + 1, () => {});
      if (rtcp) return { rtp, rtcp };
      rtp.close();
    }
    throw new Error(`no free UDP port pair near ${this.next}`);
  }
}

async function bindOrUndefined(hostname: string, port: number, onDatagram: DatagramHandler): Promise<ReceiveSocket | undefined> {
  try {
    return await Bun.udpSocket({
      hostname,
      port,
      socket: { data: (_socket, datagram) => onDatagram(datagram, performance.now()) },
    });
  } catch {
    return undefined;
  }
}
