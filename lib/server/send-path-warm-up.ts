// A fresh process pays for its first plays: JavaScriptCore compiles each function on its first call, and Bun sets
// up its UDP send paths on first use. Timed inside the server, that put 0.5 ms between the first PLAY reply's
// write and frame 0 reaching the kernel (0.1 ms on a warm server), all of it counted as the first client's
// "first frame" delay. And at 20 frames a second the send path takes minutes of play to reach JavaScriptCore's
// optimizing tiers, whose compiles then share the cores with the play. One throwaway standard session, sent
// 3000 frames back to back to a local sink (~40 ms) and ended with a BYE, runs the same code at startup instead:
// one stream's deviation p99 1.15 ms at the median of 12 runs against 1.55 ms with one warm-up frame, within 1 ms
// in 5 of 12 against 1 (BENCHMARKS.md).
import type { udp } from "bun";
import { Movie } from "../media/movie.ts";
import { sharedPackets, ServedMovie, type FramePackets } from "./movie-library.ts";
import { Pacer } from "./pacer.ts";
import { StreamSession } from "./stream-session.ts";
import { UdpTransport } from "./udp-transport.ts";

const LOOPBACK = "127.0.0.1";
/** Enough calls for the send path to reach the optimizing tiers. */
const WARM_FRAMES = 3000;
/** Two packets, so the frame leaves in one GSO send or sendMany like a real one. */
const PAYLOAD_BYTES = [1400, 600];

/** Best effort: a failure here costs only the warm-up, never the server's start. */
export async function warmUpSendPath(fps: number, gso: boolean): Promise<void> {
  let sink: udp.Socket<"buffer">;
  try {
    // In a try, not a .catch(): Bun.udpSocket throws a failed bind synchronously.
    sink = await Bun.udpSocket({ hostname: LOOPBACK, port: 0 });
  } catch {
    return;
  }
  try {
    const payloads = PAYLOAD_BYTES.map((length) => new Uint8Array(length));
    const packets = sharedPackets(payloads);
    const frames: FramePackets = { frameCount: WARM_FRAMES, packets: () => packets };
    const transport = await UdpTransport.open(LOOPBACK, { address: LOOPBACK, rtpPort: sink.port, rtcpPort: sink.port }, () => {}, gso);
    const session = new StreamSession({
      id: "warm-up",
      dialect: "standard",
      movie: new ServedMovie("warm-up", Movie.fromFrames(payloads, "warm-up", "mjpeg"), PAYLOAD_BYTES[0]),
      frames,
      transport,
      pacer: new Pacer({ periodMs: 1000 / fps }),
      fps,
      controlUrl: "",
      cname: "warm-up",
      onEndOfMovie: () => {},
    });
    session.play();
    // Back to back, not paced: only the code's warming matters here.
    for (let n = 1; n < WARM_FRAMES; n++) session.sendFrame();
    session.end(true);
  } catch {
    // Nothing to undo: the session's sockets are closed by end(), the sink below.
  } finally {
    sink.close();
  }
}
