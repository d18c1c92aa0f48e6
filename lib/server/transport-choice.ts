// Which of a client's Transport alternatives the server can do. Pure: the caller opens the sockets.
import type { TransportSpec } from "../rtsp/transport.ts";

export type TransportChoice =
  /** The lab: whole JPEGs to client_port, no RTCP. */
  | { kind: "lab-udp"; rtpPort: number }
  | { kind: "udp"; rtpPort: number; rtcpPort: number }
  | { kind: "tcp"; channels: [rtp: number, rtcp: number] };

const LAB_PROTOCOL = "RTP/UDP";
const STANDARD_PROTOCOLS = new Set(["RTP/AVP", "RTP/AVP/UDP", "RTP/AVP/TCP"]);

/** Below this are well-known services (DNS, NTP...) that RTP must not be aimed at. */
const LOWEST_CLIENT_PORT = 1024;

function validPort(port: number | undefined): port is number {
  return port !== undefined && Number.isInteger(port) && port >= LOWEST_CLIENT_PORT && port < 65536;
}

/**
 * The first alternative we support, in the client's order of preference; undefined means 461 (multicast,
 * unknown profiles, UDP without client ports or with ports below 1024). `freeChannels` is used when an interleaved client names none.
 */
export function chooseTransport(specs: TransportSpec[], freeChannels: [number, number]): TransportChoice | undefined {
  for (const spec of specs) {
    if (!spec.unicast) continue;
    const [rtpPort, rtcpPort] = spec.clientPort ?? [];
    if (spec.protocol === LAB_PROTOCOL && spec.lowerTransport === "UDP") {
      if (validPort(rtpPort)) return { kind: "lab-udp", rtpPort };
      continue;
    }
    if (!STANDARD_PROTOCOLS.has(spec.protocol)) continue;
    if (spec.lowerTransport === "TCP") {
      const [rtp, rtcp] = spec.interleaved ?? freeChannels;
      if (rtp >= 0 && rtp <= 255 && (rtcp ?? rtp + 1) <= 255) return { kind: "tcp", channels: [rtp, rtcp ?? rtp + 1] };
      continue;
    }
    if (validPort(rtpPort)) {
      const rtcp = rtcpPort ?? rtpPort + 1;
      if (validPort(rtcp)) return { kind: "udp", rtpPort, rtcpPort: rtcp };
    }
  }
  return undefined;
}
