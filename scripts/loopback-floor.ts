// The floor of this machine for what `rtsp bench` measures: a bare Bun sender and receiver with no RTSP, no RTP
// logic and no movie. N streams, each 7 datagrams of 1400 bytes every 50 ms (one frame of the bundled movie), go
// over 127.0.0.1 from connected sockets in one `sendMany` per frame, as `rtsp serve` sends them. One stream is
// paced like the server's isolated deadlines (timer, then a busy wait); more streams are spread over the period
// and sent by a 1 ms timer, like its crowded ones. Prints the sender's CPU and, per stream, the deviation of each
// frame's last datagram from the stream's median phase (the same statistic as `rtsp bench`), its arrival timed by
// the kernel (as `rtsp bench` does on Linux) or, with --clock callback, by the receiver's callback. With --gso each
// frame leaves in one UDP GSO send from the server's own GSO socket instead.
//
//   bun scripts/loopback-floor.ts [--streams 1] [--seconds 20] [--base-port 47000] [--gso] [--clock kernel|callback]
import { parseArgs } from "node:util";
import type { FrameArrival } from "../lib/client/frame-timing.ts";
import { KernelStampedSockets } from "../lib/bench/kernel-stamped-sockets.ts";
import { scheduleDeviations, summarizeDeviations } from "../lib/bench/pacing.ts";
import { defaultArrivalClock } from "../lib/bench/udp-ports.ts";
import { GsoSocket } from "../lib/server/gso-socket.ts";
import { BunRtpSocket, type RtpSocket } from "../lib/server/udp-transport.ts";

const PERIOD_MS = 50;
const DATAGRAMS_PER_FRAME = 7;
const DATAGRAM_BYTES = 1400;
const SPIN_MS = 2;

const { values } = parseArgs({
  options: {
    streams: { type: "string", default: "1" },
    seconds: { type: "string", default: "20" },
    "base-port": { type: "string", default: "47000" },
    receive: { type: "boolean", default: false },
    gso: { type: "boolean", default: false },
    clock: { type: "string", default: defaultArrivalClock },
  },
});
const streams = Number(values.streams);
const seconds = Number(values.seconds);
const basePort = Number(values["base-port"]);

if (values.receive) await receive();
else await send();

/** Child process: one socket per stream; logs each frame's last datagram, prints the statistics as JSON. */
async function receive(): Promise<void> {
  const arrivals: FrameArrival[][] = Array.from({ length: streams }, () => []);
  const stamped = values.clock === "kernel" ? new KernelStampedSockets() : undefined;
  for (let i = 0; i < streams; i++) {
    const log = arrivals[i];
    const onDatagram = (datagram: Uint8Array, arrivalMs: number) => {
      if (datagram[0] === 1) log.push({ number: log.length, arrivalMs });
    };
    if (stamped) {
      stamped.bind("127.0.0.1", basePort + i, onDatagram);
    } else {
      await Bun.udpSocket({ hostname: "127.0.0.1", port: basePort + i, socket: { data: (_socket, datagram) => onDatagram(datagram, performance.now()) } });
    }
  }
  process.stdout.write("ready\n");
  await Bun.sleep(seconds * 1000 + 1000);
  stamped?.drain();
  const deviation = summarizeDeviations(arrivals.flatMap((frames) => scheduleDeviations(frames, PERIOD_MS)));
  const frames = arrivals.reduce((sum, log) => sum + log.length, 0);
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ frames, deviation, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
  process.exit(0);
}

async function send(): Promise<void> {
  const receiver = Bun.spawn([process.execPath, import.meta.path, "--receive", ...process.argv.slice(2)], { stdout: "pipe" });
  const lines = receiver.stdout.pipeThrough(new TextDecoderStream()).getReader();
  await lines.read(); // "ready"
  const sockets: RtpSocket[] = values.gso
    ? Array.from({ length: streams }, (_, i) => GsoSocket.open("127.0.0.1", 0, { address: "127.0.0.1", port: basePort + i }))
    : await Promise.all(
        Array.from(
          { length: streams },
          async (_, i) =>
            new BunRtpSocket(await Bun.udpSocket({ binaryType: "uint8array", connect: { hostname: "127.0.0.1", port: basePort + i } })),
        ),
      );
  const frame = Array.from({ length: DATAGRAMS_PER_FRAME }, (_, i) => new Uint8Array(DATAGRAM_BYTES).fill(i === DATAGRAMS_PER_FRAME - 1 ? 1 : 0));
  const start = performance.now() + 100;
  const end = start + seconds * 1000;
  const due = Array.from({ length: streams }, (_, i) => start + (i * PERIOD_MS) / streams);
  let sent = 0;
  const cpuBefore = process.cpuUsage();
  if (streams === 1) {
    while (due[0] < end) {
      await Bun.sleep(Math.max(0, due[0] - performance.now() - SPIN_MS));
      while (performance.now() < due[0]) {
        // The server's busy wait for an isolated deadline.
      }
      sockets[0].send(frame);
      sent++;
      due[0] += PERIOD_MS;
    }
  } else {
    while (performance.now() < end) {
      const now = performance.now();
      for (let i = 0; i < streams; i++) {
        if (due[i] > now + 0.5) continue;
        sockets[i].send(frame);
        sent++;
        due[i] += PERIOD_MS;
      }
      await Bun.sleep(1);
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  for (const socket of sockets) socket.close(); // open sockets would keep the process alive
  // In µs per 100 so that µs of CPU / elapsed is a percentage of one core.
  const elapsed = (performance.now() - start) * 10;
  const received = JSON.parse((await lines.read()).value ?? "{}");
  await receiver.exited;
  const ms = (value: number) => value.toFixed(3);
  const { p50, p99, max } = received.deviation;
  console.log(`streams ${streams}, ${seconds} s, ${values.gso ? "GSO" : "sendMany"}: ${received.frames} of ${sent} frames received`);
  console.log(`sender CPU ${((cpu.user + cpu.system) / elapsed).toFixed(1)} % of a core (user ${(cpu.user / elapsed).toFixed(1)}, system ${(cpu.system / elapsed).toFixed(1)})`);
  console.log(`receiver CPU ${((received.cpuSeconds * 1e6) / elapsed).toFixed(1)} % of a core (with its start-up)`);
  console.log(`deviation from each stream's median phase (${values.clock} clock): p50 ${ms(p50)} ms, p99 ${ms(p99)} ms, max ${ms(max)} ms`);
}
