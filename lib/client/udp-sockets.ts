// UDP receive sockets: one port for the lab, an even RTP port with RTCP on the next one for the standard path.
import type { udp } from "bun";

export type DatagramHandler = (datagram: Uint8Array, port: number, address: string) => void;
export type UdpReceiver = udp.Socket<"buffer">;
/** The RTSP connection's address family: an IPv4 socket cannot receive from, nor send to, an IPv6 server. */
export type Family = "IPv4" | "IPv6";

/** Every local address of the family: a server's RTP reaches it whichever interface it comes in on. */
export function anyAddress(family: Family): string {
  return family === "IPv6" ? "::" : "0.0.0.0";
}

export async function bindUdp(port: number, family: Family, onDatagram: DatagramHandler): Promise<UdpReceiver> {
  try {
    return await Bun.udpSocket({
      hostname: anyAddress(family),
      port,
      // Bun gives every datagram a buffer of its own, so a plain view over it is safe to keep: no copy per packet.
      socket: {
        data: (_socket, data, fromPort, fromAddress) => onDatagram(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), fromPort, fromAddress),
      },
    });
  } catch (error) {
    throw new Error(`cannot receive on UDP port ${port}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export interface UdpPair {
  rtp: UdpReceiver;
  rtcp: UdpReceiver;
}

const PAIR_ATTEMPTS = 50;

/** RFC 3550 §11: RTP on an even port, RTCP on the odd port above it. `port` 0 picks a free pair. */
export async function bindRtpRtcpPair(port: number, family: Family, onRtp: DatagramHandler, onRtcp: DatagramHandler): Promise<UdpPair> {
  if (port !== 0) {
    if (port % 2 !== 0) throw new Error(`the RTP client port must be even (RTCP uses the next one), got ${port}`);
    const rtp = await bindUdp(port, family, onRtp);
    try {
      return { rtp, rtcp: await bindUdp(port + 1, family, onRtcp) };
    } catch (error) {
      rtp.close();
      throw error;
    }
  }
  for (let attempt = 0; attempt < PAIR_ATTEMPTS; attempt++) {
    const rtp = await bindUdp(0, family, onRtp);
    if (rtp.port % 2 === 0 && rtp.port < 65535) {
      try {
        return { rtp, rtcp: await bindUdp(rtp.port + 1, family, onRtcp) };
      } catch {
        // The odd neighbour is taken: try another pair.
      }
    }
    rtp.close();
  }
  throw new Error("cannot find a free even/odd UDP port pair for RTP and RTCP");
}
