import { expect, test } from "bun:test";
import type { MediaCallbacks } from "../../lib/client/dialect-driver.ts";
import { RtpJpegReceiver } from "../../lib/client/rtp-jpeg-receiver.ts";
import { Movie } from "../../lib/media/movie.ts";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import { packetizeJpeg } from "../../lib/rtp/jpeg-packetizer.ts";
import { encodeRtp } from "../../lib/rtp/packet.ts";

const movie = Movie.fromBytes(makeSampleMovie({ frames: 3, width: 160, height: 120 }), "m");

function recorder() {
  const frames: { number: number; jpeg: Uint8Array }[] = [];
  const dropped: string[] = [];
  let late = 0;
  const media = {
    packet() {},
    frame: (number: number, jpeg: Uint8Array) => frames.push({ number, jpeg }),
    droppedFrame: (reason: string) => dropped.push(reason),
    latePacket: () => late++,
    senderReport() {},
    streamEnded() {},
    newPosition() {},
    connectionLost() {},
    reportBlock: () => ({ ssrc: 0, fractionLost: 0, cumulativeLost: 0, highestSequence: 0, jitter: 0, lastSr: 0, delaySinceLastSr: 0 }),
  } satisfies MediaCallbacks;
  return { media, frames, dropped, late: () => late };
}

/** Packets of movie frame `index`, stamped as the sender's frame at `timestamp`, numbered from `sequence`. */
function packetsOf(index: number, timestamp: number, sequence: number): Uint8Array[] {
  const payloads = packetizeJpeg(movie.frame(index));
  return payloads.map((payload, i) =>
    encodeRtp({ marker: i === payloads.length - 1, payloadType: 26, sequenceNumber: (sequence + i) & 0xffff, timestamp: timestamp >>> 0, ssrc: 7 }, payload),
  );
}

test("frame numbers follow the RTP clock from the PLAY position, across a timestamp wrap", () => {
  const { media, frames } = recorder();
  const receiver = new RtpJpegReceiver(media);
  // PLAY Range npt=5- at 20 fps starts at frame 101; RTP-Info rtptime sits just below the 32-bit wrap.
  const rtpTime = 0xffffffff - 1000;
  receiver.restart({ rtpTime, firstFrame: 101, fps: 20 });
  let sequence = 65530;
  for (let i = 0; i < 3; i++) {
    const packets = packetsOf(i, rtpTime + i * 4500, sequence);
    sequence += packets.length;
    for (const packet of packets) receiver.push(packet, i * 50);
  }
  expect(frames.map((f) => f.number)).toEqual([101, 102, 103]);
  expect(frames[2].jpeg.length).toBeGreaterThan(0);
});

test("without RTP-Info the first packet's timestamp is the PLAY position", () => {
  const { media, frames } = recorder();
  const receiver = new RtpJpegReceiver(media);
  receiver.restart({ firstFrame: 41, fps: 20 });
  const first = packetsOf(0, 123456, 10);
  for (const packet of first) receiver.push(packet, 0);
  for (const packet of packetsOf(1, 123456 + 2 * 4500, 10 + first.length)) receiver.push(packet, 100);
  expect(frames.map((f) => f.number)).toEqual([41, 43]);
});

test("a packet for a frame already completed counts as late, a repeated one does not", () => {
  const { media, frames, late } = recorder();
  const receiver = new RtpJpegReceiver(media);
  receiver.restart({ rtpTime: 0, firstFrame: 1, fps: 20 });
  const packets = packetsOf(0, 0, 100);
  for (const packet of packets) receiver.push(packet, 0);
  receiver.push(packets[0], 1);
  expect(late()).toBe(0);
  const straggler = packetsOf(0, 0, 100 + packets.length)[0];
  receiver.push(straggler, 2);
  expect(late()).toBe(1);
  expect(frames).toHaveLength(1);
});

test("packets read while a PLAY is on its way count from that PLAY's clock; the old play's stragglers are dropped", () => {
  const { media, frames, dropped } = recorder();
  const receiver = new RtpJpegReceiver(media);
  receiver.restart({ rtpTime: 0, firstFrame: 1, fps: 20 });
  const old = packetsOf(0, 0, 100);
  for (const packet of old.slice(0, -1)) receiver.push(packet, 0);
  // A seek to frame 41. Before its reply is handled: the old play's last packet, then the new play's first.
  const sequence = 100 + old.length;
  const seeked = packetsOf(1, 900_000, sequence);
  receiver.holdForPlay();
  receiver.push(old.at(-1)!, 10);
  receiver.push(seeked[0], 11);
  receiver.restart({ rtpTime: 900_000, firstFrame: 41, fps: 20, sequence });
  for (const packet of seeked.slice(1)) receiver.push(packet, 12);
  expect(frames.map((f) => f.number)).toEqual([41]);
  expect(dropped).toEqual([]);
});

test("a PLAY that failed lets the held packets go on under the play that was", () => {
  const { media, frames } = recorder();
  const receiver = new RtpJpegReceiver(media);
  receiver.restart({ rtpTime: 0, firstFrame: 1, fps: 20 });
  receiver.holdForPlay();
  for (const packet of packetsOf(0, 0, 100)) receiver.push(packet, 0);
  expect(frames).toEqual([]);
  receiver.resume();
  expect(frames.map((f) => f.number)).toEqual([1]);
});

test("two PLAYs on their way: packets wait for the second reply and count from its clock", () => {
  const { media, frames, dropped } = recorder();
  const receiver = new RtpJpegReceiver(media);
  receiver.holdForPlay();
  receiver.holdForPlay();
  const first = packetsOf(0, 900_000, 100);
  receiver.push(first[0], 0);
  receiver.restart({ rtpTime: 900_000, firstFrame: 41, fps: 20, sequence: 100 });
  const second = packetsOf(0, 900_000, 101);
  receiver.push(second[0], 1);
  expect(frames).toEqual([]);
  receiver.restart({ rtpTime: 900_000, firstFrame: 41, fps: 20, sequence: 101 });
  for (const packet of second.slice(1)) receiver.push(packet, 2);
  expect(frames.map((f) => f.number)).toEqual([41]);
  expect(dropped).toEqual([]);
});
