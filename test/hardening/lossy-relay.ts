// A bad network between the server and a client, for tests: an RTSP proxy that rewrites the client_port of each SETUP
// to the relay's own UDP ports, and a relay that forwards the server's RTP to the client's real port with a seeded
// pattern of drops, duplicates, swaps and delays (RTCP passes unchanged, but never ahead of a delayed RTP packet,
// so a BYE cannot end the stream before the packets it follows).
//
// A delayed packet may be overtaken by any number of later ones, depending on when they come, so the relay counts
// what the receiver sees in the order it actually sends, the RFC 3550 way, and the client's report must match exactly:
// - dropped: packets behind the highest one sent that were never sent (a loss at the very end is invisible); the
//   first packet (the receiver's sequence base) is always sent at once;
// - duplicated: packets sent again;
// - reordered: packets sent after a later one.
// A receiver's reorder window is finite (the client's holds 32 sequence numbers): a packet further behind is a loss to
// it, which the relay does not model, so a delay ends early once MAX_OVERTAKEN later packets have come.
import type { Socket, TCPSocketListener, udp } from "bun";
import { decodeRtp } from "../../lib/rtp/packet.ts";
import { seededRandom } from "../rtp/seeded-random.ts";

export interface FaultRates {
  drop: number;
  duplicate: number;
  reorder: number;
  /** Held DELAY_MS.min to DELAY_MS.max ms, then sent. */
  delay: number;
}

const DELAY_MS = { min: 5, max: 40 };
const MAX_OVERTAKEN = 16;

export interface RelayCounts {
  forwarded: number;
  dropped: number;
  duplicated: number;
  reordered: number;
  /** Packets held back for a while (whether or not later ones overtook them). */
  delayed: number;
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
  readonly counts: RelayCounts = { forwarded: 0, dropped: 0, duplicated: 0, reordered: 0, delayed: 0, framesWithDrops: new Set(), frames: new Set() };
  private readonly random: () => number;
  private clientRtpPort = 0;
  private clientRtcpPort = 0;
  /** Packets that came from the server; a packet's index among them stands for its extended sequence number. */
  private seen = 0;
  /** The receiver's view: indexes sent, and the highest. */
  private readonly sent = new Set<number>();
  private highestSent = -1;
  private held: { index: number; bytes: Uint8Array; timestamp: number } | undefined;
  /** Delayed packets by index. */
  private readonly delayed = new Map<number, { bytes: Uint8Array; timer: ReturnType<typeof setTimeout> }>();
  private readonly rtcpBehindDelayed: Uint8Array[] = [];
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
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.proxy.stop(true);
    this.rtp.close();
    this.rtcp.close();
  }

  private async bindPair(): Promise<[UdpSocket, UdpSocket]> {
    for (;;) {
      const rtp = await this.bind(0, (bytes) => this.relayRtp(bytes));
      if (rtp.port % 2 === 0) {
        const rtcp = await this.bind(rtp.port + 1, (bytes) => this.relayRtcp(bytes)).catch(() => undefined);
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
    const index = this.seen++;
    for (const delayedIndex of this.delayed.keys()) if (index - delayedIndex >= MAX_OVERTAKEN) this.endDelay(delayedIndex);
    const roll = this.random();
    const { drop, duplicate, reorder, delay } = this.rates;
    if (this.held || index === 0 || roll >= drop + duplicate + reorder + delay) {
      this.forward(index, bytes);
    } else if (roll < drop) {
      this.counts.framesWithDrops.add(packet.timestamp);
    } else if (roll < drop + duplicate) {
      this.forward(index, bytes);
      this.forward(index, bytes);
    } else if (roll < drop + duplicate + reorder) {
      this.held = { index, bytes, timestamp: packet.timestamp };
    } else {
      this.delay(index, bytes, DELAY_MS.min + this.random() * (DELAY_MS.max - DELAY_MS.min));
    }
  }

  /** Sends the packet, then the one held back for a swap. */
  private forward(index: number, bytes: Uint8Array): void {
    this.send(index, bytes);
    const held = this.held;
    if (held) {
      this.held = undefined;
      this.send(held.index, held.bytes);
    }
  }

  private delay(index: number, bytes: Uint8Array, ms: number): void {
    this.counts.delayed++;
    this.delayed.set(index, { bytes, timer: setTimeout(() => this.endDelay(index), ms) });
  }

  private endDelay(index: number): void {
    const delayed = this.delayed.get(index);
    if (!delayed) return;
    clearTimeout(delayed.timer);
    this.delayed.delete(index);
    this.send(index, delayed.bytes);
    if (this.delayed.size > 0) return;
    for (const rtcp of this.rtcpBehindDelayed.splice(0)) this.rtcp.send(rtcp, this.clientRtcpPort, "127.0.0.1");
  }

  private relayRtcp(bytes: Uint8Array): void {
    if (this.delayed.size > 0) this.rtcpBehindDelayed.push(bytes);
    else this.rtcp.send(bytes, this.clientRtcpPort, "127.0.0.1");
  }

  /** Sends one packet and counts it as the receiver will (RFC 3550 A.1 and A.3). */
  private send(index: number, bytes: Uint8Array): void {
    this.rtp.send(bytes, this.clientRtpPort, "127.0.0.1");
    this.counts.forwarded++;
    if (this.sent.has(index)) {
      this.counts.duplicated++;
      return;
    }
    this.sent.add(index);
    if (index < this.highestSent) this.counts.reordered++;
    else this.highestSent = index;
    this.counts.dropped = this.highestSent + 1 - this.sent.size;
  }
}
