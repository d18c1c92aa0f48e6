// A bad network between the server and a client, for tests: an RTSP proxy that rewrites the client_port of each SETUP
// to the relay's own UDP ports, and a relay that forwards the server's RTP to the client's real port with a seeded
// pattern of drops, duplicates and swaps (RTCP passes untouched).
//
// The relay counts what a receiver can see, so the client's report must match it exactly:
// - dropped: packets dropped before a later packet was forwarded (a loss at the very end is invisible), never the
//   first packet (the receiver's sequence base);
// - duplicated: packets forwarded twice, back to back;
// - reordered: packets held back and forwarded right after their successor.
import type { Socket, TCPSocketListener, udp } from "bun";
import { decodeRtp } from "../../lib/rtp/packet.ts";
import { seededRandom } from "../rtp/seeded-random.ts";

export interface FaultRates {
  drop: number;
  duplicate: number;
  reorder: number;
}

export interface RelayCounts {
  forwarded: number;
  dropped: number;
  duplicated: number;
  reordered: number;
  /** RTP timestamps of frames that had a packet dropped, seen by the receiver or not. */
  framesWithDrops: Set<number>;
  /** RTP timestamps of every frame seen. */
  frames: Set<number>;
}

type UdpSocket = udp.Socket<"uint8array">;
interface ProxiedConnection {
  upstream?: Socket<undefined>;
  /** What the client sent before the server connection was up. */
  backlog: Uint8Array[];
}
const CLIENT_PORT = /client_port=(\s*)(\d+)(?:-(\d+))?/;

export class LossyRelay {
  readonly counts: RelayCounts = { forwarded: 0, dropped: 0, duplicated: 0, reordered: 0, framesWithDrops: new Set(), frames: new Set() };
  private readonly random: () => number;
  private clientRtpPort = 0;
  private clientRtcpPort = 0;
  private seen = 0;
  /** Drops not yet followed by a forwarded packet. */
  private unconfirmedDrops = 0;
  private held: { bytes: Uint8Array; timestamp: number } | undefined;
  private proxy!: TCPSocketListener<ProxiedConnection>;
  private rtp!: UdpSocket;
  private rtcp!: UdpSocket;

  private constructor(
    private readonly rates: FaultRates,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** A relay in front of the RTSP server at `serverPort`; clients connect to `port`. */
  static async start(serverPort: number, rates: FaultRates, seed: number): Promise<LossyRelay> {
    const relay = new LossyRelay(rates, seed);
    [relay.rtp, relay.rtcp] = await relay.bindPair();
    relay.proxy = Bun.listen<ProxiedConnection>({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        open: (client) => {
          client.data = { backlog: [] };
          void Bun.connect({
            hostname: "127.0.0.1",
            port: serverPort,
            socket: {
              data(_server, bytes) {
                client.write(bytes);
              },
              close() {
                client.end();
              },
            },
          }).then((upstream) => {
            client.data.upstream = upstream;
            for (const bytes of client.data.backlog) upstream.write(bytes);
          });
        },
        data: (client, bytes) => {
          const rewritten = relay.rewriteSetup(bytes);
          if (client.data.upstream) client.data.upstream.write(rewritten);
          else client.data.backlog.push(rewritten);
        },
        close(client) {
          client.data.upstream?.end();
        },
      },
    });
    return relay;
  }

  /** Frames that cannot arrive whole: a packet dropped, or still held back when the stream ended. */
  get damagedFrames(): Set<number> {
    const damaged = new Set(this.counts.framesWithDrops);
    if (this.held) damaged.add(this.held.timestamp);
    return damaged;
  }

  get port(): number {
    return this.proxy.port;
  }

  stop(): void {
    this.proxy.stop(true);
    this.rtp.close();
    this.rtcp.close();
  }

  private async bindPair(): Promise<[UdpSocket, UdpSocket]> {
    for (;;) {
      const rtp = await this.bind(0, (bytes) => this.relayRtp(bytes));
      if (rtp.port % 2 === 0) {
        const rtcp = await this.bind(rtp.port + 1, (bytes) => this.rtcp.send(bytes, this.clientRtcpPort, "127.0.0.1")).catch(() => undefined);
        if (rtcp) return [rtp, rtcp];
      }
      rtp.close();
    }
  }

  private bind(port: number, onData: (bytes: Uint8Array) => void): Promise<UdpSocket> {
    return Bun.udpSocket({ hostname: "127.0.0.1", port, binaryType: "uint8array", socket: { data: (_socket, bytes) => onData(bytes.slice()) } });
  }

  /** SETUP's client_port becomes ours; the client's own ports are where the relay sends. */
  private rewriteSetup(bytes: Uint8Array): Uint8Array {
    const text = new TextDecoder().decode(bytes);
    const match = CLIENT_PORT.exec(text);
    if (!text.startsWith("SETUP") || !match) return bytes;
    this.clientRtpPort = Number(match[2]);
    this.clientRtcpPort = match[3] === undefined ? 0 : Number(match[3]);
    const ours = match[3] === undefined ? `${this.rtp.port}` : `${this.rtp.port}-${this.rtcp.port}`;
    return new TextEncoder().encode(text.replace(CLIENT_PORT, `client_port=${match[1]}${ours}`));
  }

  private relayRtp(bytes: Uint8Array): void {
    const packet = decodeRtp(bytes);
    if (packet instanceof Error) return;
    this.counts.frames.add(packet.timestamp);
    const first = this.seen++ === 0;
    const roll = this.random();
    const { drop, duplicate, reorder } = this.rates;
    if (this.held || first || roll >= drop + duplicate + reorder) {
      this.forward(bytes);
    } else if (roll < drop) {
      this.unconfirmedDrops++;
      this.counts.framesWithDrops.add(packet.timestamp);
    } else if (roll < drop + duplicate) {
      this.forward(bytes);
      this.forward(bytes);
      this.counts.duplicated++;
    } else {
      this.held = { bytes, timestamp: packet.timestamp };
    }
  }

  private forward(bytes: Uint8Array): void {
    this.rtp.send(bytes, this.clientRtpPort, "127.0.0.1");
    this.counts.forwarded++;
    this.counts.dropped += this.unconfirmedDrops;
    this.unconfirmedDrops = 0;
    const held = this.held;
    if (held) {
      this.held = undefined;
      this.rtp.send(held.bytes, this.clientRtpPort, "127.0.0.1");
      this.counts.forwarded++;
      this.counts.reordered++;
    }
  }
}
