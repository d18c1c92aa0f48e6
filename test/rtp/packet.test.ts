import { describe, expect, test } from "bun:test";
import { RTP_HEADER_BYTES, decodeRtp, encodeRtp, writeRtpHeader, type RtpHeader } from "../../lib/rtp/packet.ts";
import { hex, mutate, randomBytes, seededRandom } from "./seeded-random.ts";

const header: RtpHeader = { marker: true, payloadType: 26, sequenceNumber: 0xbeef, timestamp: 0xdeadbeef, ssrc: 0x01020304 };

describe("RTP packets both ways", () => {
  const cases: { name: string; wire: string; header: RtpHeader; payload: string; normalized?: string; csrcs?: number[] }[] = [
    { name: "marker, JPEG", wire: "80 9a beef deadbeef 01020304 aabb", header, payload: "aabb" },
    {
      name: "no marker, wrapped sequence",
      wire: "80 1a 0000 00000001 ffffffff 00",
      header: { marker: false, payloadType: 26, sequenceNumber: 0, timestamp: 1, ssrc: 0xffffffff },
      payload: "00",
    },
    {
      name: "two CSRCs",
      wire: "82 60 0001 00000002 00000003 0000000a 0000000b cc",
      header: { marker: false, payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3 },
      csrcs: [10, 11],
      payload: "cc",
      normalized: "80 60 0001 00000002 00000003 cc",
    },
    {
      name: "extension of one word",
      wire: "90 1a 0002 00000000 00000000 bede0001 11223344 dd ee",
      header: { marker: false, payloadType: 26, sequenceNumber: 2, timestamp: 0, ssrc: 0 },
      payload: "ddee",
      normalized: "80 1a 0002 00000000 00000000 dd ee",
    },
    {
      name: "three bytes of padding",
      wire: "a0 9a 0003 00000000 00000000 ff 000003",
      header: { marker: true, payloadType: 26, sequenceNumber: 3, timestamp: 0, ssrc: 0 },
      payload: "ff",
      normalized: "80 9a 0003 00000000 00000000 ff",
    },
  ];
  for (const entry of cases) {
    test(entry.name, () => {
      const packet = decodeRtp(hex(entry.wire));
      if (packet instanceof Error) throw packet;
      expect(packet.version).toBe(2);
      expect({
        marker: packet.marker,
        payloadType: packet.payloadType,
        sequenceNumber: packet.sequenceNumber,
        timestamp: packet.timestamp,
        ssrc: packet.ssrc,
      }).toEqual(entry.header);
      expect(packet.csrcs).toEqual(entry.csrcs ?? []);
      expect(packet.payload).toEqual(hex(entry.payload));
      expect(encodeRtp(packet, packet.payload)).toEqual(hex(entry.normalized ?? entry.wire));
    });
  }
});

describe("bad RTP packets are Error values", () => {
  const cases: [string, string, RegExp][] = [
    ["too short", "80 9a beef deadbeef 010203", /too short/],
    ["version 1", "40 9a beef deadbeef 01020304", /version 1/],
    ["CSRC count past the end", "83 9a beef deadbeef 01020304 00000001", /CSRC/],
    ["extension header cut", "90 9a beef deadbeef 01020304 bede", /extension header/],
    ["extension longer than packet", "90 9a beef deadbeef 01020304 bede0002 00000000", /extension/],
    ["padding zero", "a0 9a beef deadbeef 01020304 00", /padding/],
    ["padding longer than payload", "a0 9a beef deadbeef 01020304 aa 05", /padding/],
  ];
  for (const [name, wire, message] of cases) {
    test(name, () => {
      const result = decodeRtp(hex(wire));
      expect(result).toBeInstanceOf(Error);
      expect((result as Error).message).toMatch(message);
    });
  }
});

test("writeRtpHeader writes in place at an offset, leaving the rest alone", () => {
  const buffer = new Uint8Array(4 + RTP_HEADER_BYTES + 2).fill(0x55);
  writeRtpHeader(buffer, 4, header);
  expect(buffer).toEqual(hex("55555555 80 9a beef deadbeef 01020304 5555"));
});

test("writeRtpHeader keeps fields to their widths", () => {
  const buffer = new Uint8Array(RTP_HEADER_BYTES);
  writeRtpHeader(buffer, 0, { marker: false, payloadType: 26 + 128, sequenceNumber: 0x1_0005, timestamp: 2 ** 32 + 7, ssrc: -1 });
  expect(buffer).toEqual(hex("80 1a 0005 00000007 ffffffff"));
});

test("payload is a view into the datagram", () => {
  const datagram = hex("80 9a beef deadbeef 01020304 aabbcc");
  const packet = decodeRtp(datagram);
  if (packet instanceof Error) throw packet;
  expect(packet.payload.buffer).toBe(datagram.buffer);
});

test("fuzz: decodeRtp never throws and payloads stay inside the datagram", () => {
  const random = seededRandom(2435);
  const seeds = [hex("80 9a beef deadbeef 01020304 aabb"), hex("b2 60 0001 00000002 00000003 0000000a 0000000b bede0001 11223344 dd 02")];
  for (let i = 0; i < 5000; i++) {
    const input = i % 2 === 0 ? mutate(random, seeds[i % seeds.length]) : randomBytes(random, Math.floor(random() * 40));
    const result = decodeRtp(input);
    if (result instanceof Error) continue;
    expect(result.payload.byteOffset - input.byteOffset + result.payload.length).toBeLessThanOrEqual(input.length);
  }
});
