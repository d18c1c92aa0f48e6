import { describe, expect, test } from "bun:test";
import { compactNtp, decodeRtcp, encodeRtcp, ntpFromUnixMs, type RtcpPacket } from "../../lib/rtp/rtcp.ts";
import { hex, mutate, randomBytes, seededRandom } from "./seeded-random.ts";

const block = {
  ssrc: 0x0a0b0c0d,
  fractionLost: 64,
  cumulativeLost: 3,
  highestSequence: 0x0001_0005,
  jitter: 123,
  lastSr: 0x11223344,
  delaySinceLastSr: 0x10000,
};
const blockWire = "0a0b0c0d 40000003 00010005 0000007b 11223344 00010000";

const cases: { name: string; wire: string; packets: RtcpPacket[]; normalized?: string }[] = [
  {
    name: "SR without report blocks",
    wire: "80c80006 01020304 e3f1a2b3 80000000 00015f90 0000000a 00000400",
    packets: [{ type: "sr", ssrc: 0x01020304, ntpTime: 0xe3f1a2b3_80000000n, rtpTime: 90000, packetCount: 10, octetCount: 1024, reports: [] }],
  },
  {
    name: "SR with a report block",
    wire: `81c8000c 01020304 00000001 00000002 00000003 00000004 00000005 ${blockWire}`,
    packets: [{ type: "sr", ssrc: 0x01020304, ntpTime: 0x1_00000002n, rtpTime: 3, packetCount: 4, octetCount: 5, reports: [block] }],
  },
  {
    name: "RR with a report block and negative cumulative loss",
    wire: "81c90007 99999999 0a0b0c0d 00fffffe 00010005 0000007b 11223344 00010000",
    packets: [{ type: "rr", ssrc: 0x99999999, reports: [{ ...block, fractionLost: 0, cumulativeLost: -2 }] }],
  },
  {
    name: "RR + SDES CNAME (the usual compound)",
    wire: "80c90001 99999999 81ca0003 99999999 0104 74657374 0000",
    packets: [
      { type: "rr", ssrc: 0x99999999, reports: [] },
      { type: "sdes", chunks: [{ ssrc: 0x99999999, cname: "test" }] },
    ],
  },
  {
    name: "SDES chunk whose item fills the word, and one without CNAME",
    wire: "82ca0005 00000001 0105 6162636465 00 00000002 00000000",
    packets: [{ type: "sdes", chunks: [{ ssrc: 1, cname: "abcde" }, { ssrc: 2 }] }],
  },
  {
    name: "SDES items other than CNAME are skipped",
    wire: "81ca0003 00000001 0602 6869 0101 61 00",
    packets: [{ type: "sdes", chunks: [{ ssrc: 1, cname: "a" }] }],
    normalized: "81ca0002 00000001 0101 61 00",
  },
  {
    name: "BYE with a reason",
    wire: "81cb0002 01020304 03 627965",
    packets: [{ type: "bye", ssrcs: [0x01020304], reason: "bye" }],
  },
  { name: "BYE without a reason", wire: "81cb0001 01020304", packets: [{ type: "bye", ssrcs: [0x01020304] }] },
  { name: "unknown packet type is skipped over", wire: "80cc0001 deadbeef 80c90001 00000007", packets: [{ type: "unknown", packetType: 204 }, { type: "rr", ssrc: 7, reports: [] }], normalized: "80cc0000 80c90001 00000007" },
  {
    name: "padding on the last packet",
    wire: "80c90001 00000001 a1cb0002 00000009 00000004",
    packets: [
      { type: "rr", ssrc: 1, reports: [] },
      { type: "bye", ssrcs: [9] },
    ],
    normalized: "80c90001 00000001 81cb0001 00000009",
  },
];

describe("RTCP both ways", () => {
  for (const entry of cases) {
    test(entry.name, () => {
      const packets = decodeRtcp(hex(entry.wire));
      if (packets instanceof Error) throw packets;
      expect(packets).toEqual(entry.packets);
      const normalized = encodeRtcp(packets);
      expect(normalized).toEqual(hex(entry.normalized ?? entry.wire));
      expect(decodeRtcp(normalized)).toEqual(entry.packets);
    });
  }
});

describe("malformed RTCP is an Error value", () => {
  const bad: [string, string, RegExp][] = [
    ["empty", "", /too short/],
    ["version 1", "40c90001 00000001", /version 1/],
    ["length past the end", "80c90002 00000001", /claims 12 bytes/],
    ["trailing partial header", "80c90001 00000001 80c9", /truncated/],
    ["padding on a packet that is not the last", "a0c90001 00000001 80c90001 00000001", /not the last/],
    ["padding count larger than the body", "a0c90001 00000009", /padding/],
    ["SR shorter than its fields", "80c80002 00000001 00000002", /SR/],
    ["RR announcing a missing block", "81c90001 00000001", /RR with 1/],
    ["SDES without a null item", "81ca0002 00000001 01026162", /null item/],
    ["SDES item running past the packet", "81ca0002 00000001 0109 6100", /past the packet/],
    ["BYE reason running past the packet", "81cb0002 00000001 09616263", /reason/],
    ["BYE announcing missing sources", "82cb0001 00000001", /BYE announces 2/],
  ];
  for (const [name, wire, message] of bad) {
    test(name, () => {
      const result = decodeRtcp(hex(wire));
      expect(result).toBeInstanceOf(Error);
      expect((result as Error).message).toMatch(message);
    });
  }
});

test("encodeRtcp refuses what the count field cannot say", () => {
  expect(() => encodeRtcp([{ type: "rr", ssrc: 1, reports: Array(32).fill(block) }])).toThrow(RangeError);
  expect(() => encodeRtcp([{ type: "sdes", chunks: [{ ssrc: 1, cname: "x".repeat(256) }] }])).toThrow(RangeError);
});

test("ntpFromUnixMs counts from 1900 with a 32-bit fraction", () => {
  expect(ntpFromUnixMs(0)).toBe(2_208_988_800n << 32n);
  expect(ntpFromUnixMs(1500)).toBe((2_208_988_801n << 32n) | 0x8000_0000n);
  expect(ntpFromUnixMs(1_700_000_000_250)).toBe(((1_700_000_000n + 2_208_988_800n) << 32n) | 0x4000_0000n);
  expect(compactNtp(0x1234_5678_9abc_def0n)).toBe(0x5678_9abc);
});

test("fuzz: decodeRtcp never throws", () => {
  const random = seededRandom(3550);
  const seeds = cases.map((entry) => hex(entry.wire));
  for (let i = 0; i < 5000; i++) {
    const input = i % 2 === 0 ? mutate(random, seeds[i % seeds.length]) : randomBytes(random, Math.floor(random() * 64));
    const result = decodeRtcp(input);
    expect(result instanceof Error || Array.isArray(result)).toBe(true);
  }
});
