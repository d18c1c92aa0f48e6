import { describe, expect, test } from "bun:test";
import jpeg from "jpeg-js";
import { inspectJpeg } from "../../lib/media/jpeg-info.ts";
import { JpegDepacketizer, type DepacketizeResult } from "../../lib/rtp/jpeg-depacketizer.ts";
import { buildJpegHeaders, scaledQuantTables } from "../../lib/rtp/jpeg-headers.ts";
import { packetizeJpeg } from "../../lib/rtp/jpeg-packetizer.ts";
import { RTP_HEADER_BYTES, decodeRtp, encodeRtp, type RtpPacket } from "../../lib/rtp/packet.ts";
import { ReorderBuffer } from "../../lib/rtp/reorder-buffer.ts";
import { mutate, randomBytes, seededRandom } from "./seeded-random.ts";

const fixtureNames = ["testsrc-420.jpg", "testsrc-422.jpg", "testsrc-420-restart.jpg"];
const fixtures = new Map<string, Uint8Array>();
for (const name of fixtureNames) fixtures.set(name, new Uint8Array(await Bun.file(new URL(`fixtures/${name}`, import.meta.url)).arrayBuffer()));
const fixture = (name: string) => fixtures.get(name) as Uint8Array;

/** Wraps payloads in RTP packets the way a sender does, through the wire format and back. */
function toPackets(payloads: Uint8Array[], firstSequence: number, timestamp: number): RtpPacket[] {
  return payloads.map((payload, i) => {
    const datagram = encodeRtp(
      { marker: i === payloads.length - 1, payloadType: 26, sequenceNumber: (firstSequence + i) & 0xffff, timestamp, ssrc: 0x1234 },
      payload,
    );
    const packet = decodeRtp(datagram);
    if (packet instanceof Error) throw packet;
    return packet;
  });
}

function feed(depacketizer: JpegDepacketizer, packets: RtpPacket[]): DepacketizeResult[] {
  return packets.flatMap((packet) => depacketizer.push(packet));
}

function pixels(bytes: Uint8Array): Uint8Array {
  return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false }).data;
}

/** What RFC 2435 carries of a frame: the entropy-coded data and the EOI after it. */
function scanBytes(bytes: Uint8Array): Uint8Array {
  const info = inspectJpeg(bytes);
  return bytes.subarray(info.scanStart, info.hasEoi ? info.scanEnd + 2 : info.scanEnd);
}

/** Shuffles within blocks of `span` packets, leaving the first packet first (it starts the reorder buffer). */
function shuffleWithin<T>(items: T[], span: number, random: () => number): T[] {
  const shuffled = items.slice();
  for (let start = 1; start < shuffled.length; start += span) {
    const end = Math.min(start + span, shuffled.length);
    for (let i = end - 1; i > start; i--) {
      const j = start + Math.floor(random() * (i - start + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
  }
  return shuffled;
}

describe("packetizeJpeg", () => {
  test("headers of the first and following fragments (4:2:0, no restart markers)", () => {
    const frame = fixture("testsrc-420.jpg");
    const info = inspectJpeg(frame);
    const payloads = packetizeJpeg(frame);
    const [first, second] = payloads;
    // type-specific 0, offset 0, type 1, Q 255, 384/8, 288/8
    expect([...first.subarray(0, 8)]).toEqual([0, 0, 0, 0, 1, 255, 48, 36]);
    // MBZ, precision 0, length 128, then luma and chroma tables (ffmpeg shares one table)
    expect([...first.subarray(8, 12)]).toEqual([0, 0, 0, 128]);
    expect(first.subarray(12, 76)).toEqual(info.quantTables[0] as Uint8Array);
    expect(first.subarray(76, 140)).toEqual(info.quantTables[0] as Uint8Array);
    const firstData = first.length - 140;
    expect(first.length + RTP_HEADER_BYTES).toBe(1400);
    expect([...second.subarray(0, 8)]).toEqual([0, 0, firstData >> 8, firstData & 0xff, 1, 255, 48, 36]);
  });

  test("separate luma and chroma tables travel in that order (4:2:2 from cjpeg)", () => {
    const frame = fixture("testsrc-422.jpg");
    const info = inspectJpeg(frame);
    const [first] = packetizeJpeg(frame);
    expect([...first.subarray(0, 8)]).toEqual([0, 0, 0, 0, 0, 255, 40, 30]);
    expect(first.subarray(12, 76)).toEqual(info.quantTables[info.componentQuantIds[0]] as Uint8Array);
    expect(first.subarray(76, 140)).toEqual(info.quantTables[info.componentQuantIds[1]] as Uint8Array);
    expect(info.componentQuantIds[0]).not.toBe(info.componentQuantIds[1]);
  });

  test("restart markers: type 65 and a restart header on every fragment", () => {
    const payloads = packetizeJpeg(fixture("testsrc-420-restart.jpg"), { maxPacket: 576 });
    for (const payload of payloads) {
      expect(payload[4]).toBe(65);
      // DRI 5, F = 1, L = 1, restart count 0x3FFF
      expect([...payload.subarray(8, 12)]).toEqual([0, 5, 0xff, 0xff]);
    }
    expect([...payloads[0].subarray(12, 16)]).toEqual([0, 0, 0, 128]);
  });

  for (const maxPacket of [200, 576, 1400, 9000]) {
    test(`fragments fill packets of ${maxPacket} bytes and cover the scan and its EOI exactly`, () => {
      const frame = fixture("testsrc-420-restart.jpg");
      const scan = scanBytes(frame);
      const payloads = packetizeJpeg(frame, { maxPacket });
      const pieces: Uint8Array[] = [];
      let expectedOffset = 0;
      payloads.forEach((payload, i) => {
        expect(payload.length + RTP_HEADER_BYTES).toBeLessThanOrEqual(maxPacket);
        if (i < payloads.length - 1) expect(payload.length + RTP_HEADER_BYTES).toBe(maxPacket);
        expect((payload[1] << 16) | (payload[2] << 8) | payload[3]).toBe(expectedOffset);
        const data = payload.subarray(i === 0 ? 12 + 132 : 12);
        pieces.push(data);
        expectedOffset += data.length;
      });
      expect(Buffer.concat(pieces)).toEqual(Buffer.from(scan));
    });
  }

  test("frames RFC 2435 cannot carry are refused with the reason", () => {
    const rgba = new Uint8Array(16 * 16 * 4).fill(128);
    const frame444 = jpeg.encode({ data: rgba, width: 16, height: 16 }, 90).data;
    const reason = inspectJpeg(frame444).notTransportable as string;
    expect(reason).toMatch(/4:4:4/);
    expect(() => packetizeJpeg(frame444)).toThrow(reason);
  });

  test("a maxPacket without room for data is refused", () => {
    expect(() => packetizeJpeg(fixture("testsrc-420.jpg"), { maxPacket: 12 + 8 + 132 })).toThrow(RangeError);
  });
});

describe("round trip: packetize, depacketize, identical pixels", () => {
  for (const name of fixtureNames) {
    const frame = fixture(name);
    const original = pixels(frame);
    for (const maxPacket of [200, 576, 1400, 9000]) {
      test(`${name} at ${maxPacket} bytes, in order and shuffled through the reorder buffer`, () => {
        const packets = toPackets(packetizeJpeg(frame, { maxPacket }), 65530, 90000);

        const inOrder = feed(new JpegDepacketizer(), packets);
        expect(inOrder).toHaveLength(1);
        const result = inOrder[0];
        if (result.type !== "frame") throw new Error(result.reason);
        expect(result.timestamp).toBe(90000);
        expect(result.firstSequence).toBe(65530);
        expect(scanBytes(result.jpeg)).toEqual(scanBytes(frame));
        expect(pixels(result.jpeg)).toEqual(original);

        const buffer = new ReorderBuffer(32);
        const shuffled = shuffleWithin(packets, 16, seededRandom(maxPacket));
        if (packets.length > 2) expect(shuffled).not.toEqual(packets);
        const reordered = [...shuffled.flatMap((packet) => buffer.push(packet)), ...buffer.drain()];
        expect(reordered.map((packet) => packet.sequenceNumber)).toEqual(packets.map((packet) => packet.sequenceNumber));
        const throughBuffer = feed(new JpegDepacketizer(), reordered);
        expect(throughBuffer).toEqual(inOrder);
      });
    }
  }

  test("consecutive frames come out one by one, headers reused from the cache", () => {
    const depacketizer = new JpegDepacketizer();
    const frames = ["testsrc-420.jpg", "testsrc-422.jpg", "testsrc-420.jpg"].map(fixture);
    let sequence = 100;
    const results = frames.flatMap((frame, i) => {
      const packets = toPackets(packetizeJpeg(frame), sequence, i * 4500);
      sequence += packets.length;
      return feed(depacketizer, packets);
    });
    expect(results.map((r) => r.type)).toEqual(["frame", "frame", "frame"]);
    expect(results.map((r) => r.timestamp)).toEqual([0, 4500, 9000]);
    for (const [i, result] of results.entries()) {
      if (result.type === "frame") expect(pixels(result.jpeg)).toEqual(pixels(frames[i]));
    }
    expect(depacketizer.completedFrames).toBe(3);
    expect(depacketizer.droppedFrames).toBe(0);
  });
});

describe("JpegDepacketizer drops what it cannot complete", () => {
  const frame = fixture("testsrc-420.jpg");
  const packets = toPackets(packetizeJpeg(frame, { maxPacket: 1000 }), 1, 3000);
  const nextFrame = toPackets(packetizeJpeg(frame, { maxPacket: 1000 }), 1 + packets.length, 7500);

  const cases: { name: string; packets: RtpPacket[]; expected: { type: DepacketizeResult["type"]; timestamp: number; reason?: RegExp }[] }[] = [
    { name: "a missing middle fragment", packets: packets.filter((_, i) => i !== 3), expected: [{ type: "dropped", timestamp: 3000, reason: /missing/ }] },
    { name: "a missing first fragment", packets: packets.slice(1), expected: [{ type: "dropped", timestamp: 3000, reason: /first fragment/ }] },
    {
      name: "a missing marker packet: the next frame abandons it",
      packets: [...packets.slice(0, -1), ...nextFrame],
      expected: [
        { type: "dropped", timestamp: 3000, reason: /next frame/ },
        { type: "frame", timestamp: 7500 },
      ],
    },
    {
      name: "a payload too short for its header",
      packets: packets.map((p, i) => (i === 2 ? { ...p, payload: p.payload.subarray(0, 5) } : p)),
      expected: [{ type: "dropped", timestamp: 3000, reason: /shorter/ }],
    },
    {
      name: "an unsupported type",
      packets: packets.map((p) => ({ ...p, payload: Uint8Array.from(p.payload, (v, j) => (j === 4 ? 3 : v)) })),
      expected: [{ type: "dropped", timestamp: 3000, reason: /type 3/ }],
    },
    {
      name: "fragments that disagree on the size",
      packets: packets.map((p, i) => ({ ...p, payload: Uint8Array.from(p.payload, (v, j) => (i === 4 && j === 6 ? 10 : v)) })),
      expected: [{ type: "dropped", timestamp: 3000, reason: /disagree/ }],
    },
    {
      name: "Q 255 without tables",
      packets: [{ ...packets[0], marker: true, payload: Uint8Array.of(0, 0, 0, 0, 1, 255, 48, 36, 0, 0, 0, 0, 0xaa) }],
      expected: [{ type: "dropped", timestamp: 3000, reason: /without quantization tables/ }],
    },
    {
      name: "a stray copy of a finished frame's packet starts nothing",
      packets: [...packets, ...nextFrame.slice(0, 2), packets[2], ...nextFrame.slice(2)],
      expected: [
        { type: "frame", timestamp: 3000 },
        { type: "frame", timestamp: 7500 },
      ],
    },
  ];
  for (const entry of cases) {
    test(entry.name, () => {
      const depacketizer = new JpegDepacketizer();
      const results = feed(depacketizer, entry.packets);
      expect(results.map((r) => r.type)).toEqual(entry.expected.map((e) => e.type));
      results.forEach((result, i) => {
        expect(result.timestamp).toBe(entry.expected[i].timestamp);
        if (result.type === "dropped") expect(result.reason).toMatch(entry.expected[i].reason as RegExp);
      });
      expect(depacketizer.droppedFrames).toBe(entry.expected.filter((e) => e.type === "dropped").length);
    });
  }
});

describe("rebuilt headers", () => {
  test("Q 1..99 tables are the Annex K tables scaled as RFC 2435 Appendix A (and libjpeg) scale them", () => {
    // cjpeg -quality 80 wrote testsrc-422.jpg with the same scaling rule.
    const info = inspectJpeg(fixture("testsrc-422.jpg"));
    const [luma, chroma] = scaledQuantTables(80);
    expect(luma.bytes).toEqual(Uint8Array.from(info.quantTables[0] as Uint8Array));
    expect(chroma.bytes).toEqual(Uint8Array.from(info.quantTables[1] as Uint8Array));
    expect(scaledQuantTables(50)[0].bytes.slice(0, 3)).toEqual(Uint8Array.of(16, 11, 12));
    expect(scaledQuantTables(1)[0].bytes.every((v) => v === 255)).toBe(true);
  });

  test("a frame sent with Q 80 and no tables decodes like the cjpeg original", () => {
    const frame = fixture("testsrc-422.jpg");
    // Rewrite our Q 255 payloads as a Q 80 sender would send them: no table header.
    const payloads = packetizeJpeg(frame).map((payload, i) => {
      const withoutTables = i === 0 ? Buffer.concat([payload.subarray(0, 8), payload.subarray(8 + 132)]) : Uint8Array.from(payload);
      withoutTables[5] = 80;
      return new Uint8Array(withoutTables);
    });
    const [result] = feed(new JpegDepacketizer(), toPackets(payloads, 0, 0));
    if (result.type !== "frame") throw new Error(result.reason);
    expect(pixels(result.jpeg)).toEqual(pixels(frame));
  });

  test("Q 128..254 tables are remembered for frames that leave them out", () => {
    const frame = fixture("testsrc-420.jpg");
    const withTables = packetizeJpeg(frame).map((payload) => Uint8Array.from(payload, (v, j) => (j === 5 ? 200 : v)));
    const withoutTables = withTables.map((payload, i) =>
      i === 0 ? new Uint8Array(Buffer.concat([payload.subarray(0, 8), Uint8Array.of(0, 0, 0, 0), payload.subarray(8 + 132)])) : payload,
    );
    const depacketizer = new JpegDepacketizer();
    const results = [
      ...feed(depacketizer, toPackets(withTables, 0, 0)),
      ...feed(depacketizer, toPackets(withoutTables, withTables.length, 4500)),
    ];
    expect(results.map((r) => r.type)).toEqual(["frame", "frame"]);
    for (const result of results) if (result.type === "frame") expect(pixels(result.jpeg)).toEqual(pixels(frame));
    expect(feed(new JpegDepacketizer(), toPackets(withoutTables, 0, 0))[0].type).toBe("dropped");
  });

  test("the rebuilt header is a baseline frame with standard Huffman tables and DRI", () => {
    const [luma, chroma] = scaledQuantTables(50);
    const headers = buildJpegHeaders({ type: 65, width: 64, height: 48, restartInterval: 7, quantTables: [luma, chroma] });
    const info = inspectJpeg(new Uint8Array([...headers, 0xff, 0xd9]));
    expect(info).toMatchObject({ width: 64, height: 48, baseline: true, sampling: "4:2:0", standardHuffman: true, restartInterval: 7, rtpType: 65 });
    expect(info.componentIds).toEqual([1, 2, 3]);
    expect(info.componentQuantIds).toEqual([0, 1, 1]);
    const headers422 = buildJpegHeaders({ type: 0, width: 64, height: 48, restartInterval: 0, quantTables: [luma] });
    expect(inspectJpeg(new Uint8Array([...headers422, 0xff, 0xd9]))).toMatchObject({ sampling: "4:2:2", restartInterval: 0, componentQuantIds: [0, 0, 0] });
  });
});

test("fuzz: the depacketizer never throws on garbage", () => {
  const random = seededRandom(2435);
  const valid = toPackets(packetizeJpeg(fixture("testsrc-420-restart.jpg"), { maxPacket: 300 }), 0, 0);
  const depacketizer = new JpegDepacketizer();
  for (let i = 0; i < 20000; i++) {
    const source = valid[Math.floor(random() * valid.length)];
    const payload = random() < 0.7 ? mutate(random, source.payload) : randomBytes(random, Math.floor(random() * 200));
    const packet: RtpPacket = {
      ...source,
      sequenceNumber: i & 0xffff,
      timestamp: Math.floor(random() * 4) * 4500,
      marker: random() < 0.2,
      payload,
    };
    for (const result of depacketizer.push(packet)) {
      if (result.type === "frame") expect(result.jpeg[0]).toBe(0xff);
    }
  }
  expect(depacketizer.droppedFrames).toBeGreaterThan(0);
});
