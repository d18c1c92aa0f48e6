import { describe, expect, test } from "bun:test";
import type { RtpPacket } from "../../lib/rtp/packet.ts";
import { ReorderBuffer } from "../../lib/rtp/reorder-buffer.ts";

function packet(sequenceNumber: number): RtpPacket {
  return {
    version: 2,
    padding: false,
    extension: false,
    marker: false,
    payloadType: 26,
    sequenceNumber,
    timestamp: 0,
    ssrc: 1,
    csrcs: [],
    payload: new Uint8Array([sequenceNumber & 0xff]),
  };
}

/** Pushes each sequence number and returns what each push released. */
function run(buffer: ReorderBuffer, sequences: number[]): number[][] {
  return sequences.map((sequence) => buffer.push(packet(sequence)).map((released) => released.sequenceNumber));
}

describe("ReorderBuffer", () => {
  const cases: { name: string; window?: number; first?: number; pushes: number[]; released: number[][] }[] = [
    { name: "in order passes straight through", pushes: [7, 8, 9], released: [[7], [8], [9]] },
    { name: "a gap is held until filled", pushes: [1, 3, 4, 2, 5], released: [[1], [], [], [2, 3, 4], [5]] },
    { name: "duplicates are discarded, held or released", pushes: [1, 3, 3, 2, 2, 1], released: [[1], [], [], [2, 3], [], []] },
    { name: "order across the 16-bit wrap", pushes: [65534, 0, 65535, 1], released: [[65534], [], [65535, 0], [1]] },
    {
      name: "window overflow skips the gap and a straggler after it is discarded",
      window: 4,
      pushes: [1, 3, 4, 5, 6, 2, 7],
      released: [[1], [], [], [], [3, 4, 5, 6], [], [7]],
    },
    {
      name: "a packet far ahead releases what is held on the way, in order",
      window: 4,
      pushes: [1, 3, 5, 20, 17, 16, 19, 18],
      released: [[1], [], [], [3, 5], [17], [], [], [18, 19, 20]],
    },
    {
      name: "two sequential packets far behind mean the sender restarted",
      pushes: [40000, 40001, 40003, 20000, 20001, 20002],
      released: [[40000], [40001], [], [], [40003, 20001], [20002]],
    },
    { name: "a lone packet far behind is discarded", pushes: [40000, 20000, 40001], released: [[40000], [], [40001]] },
    {
      name: "a known first sequence number holds a packet after it and drops one before it",
      first: 100,
      pushes: [101, 99, 100, 102],
      released: [[], [], [100, 101], [102]],
    },
    { name: "a known first sequence number across the wrap", first: 65535, pushes: [0, 65534, 65535], released: [[], [], [65535, 0]] },
  ];
  for (const entry of cases) {
    test(entry.name, () => {
      expect(run(new ReorderBuffer(entry.window, entry.first), entry.pushes)).toEqual(entry.released);
    });
  }

  test("drain releases everything held, in order, then continues after it", () => {
    const buffer = new ReorderBuffer();
    run(buffer, [1, 5, 3]);
    expect(buffer.drain().map((released) => released.sequenceNumber)).toEqual([3, 5]);
    expect(buffer.drain()).toEqual([]);
    expect(run(buffer, [4, 6])).toEqual([[], [6]]);
  });

  test("holds up to the window while the gap lasts", () => {
    const buffer = new ReorderBuffer(32);
    const released = run(buffer, [0, ...Array.from({ length: 31 }, (_, i) => i + 2)]);
    expect(released.flat()).toEqual([0]);
    expect(run(buffer, [33])).toEqual([Array.from({ length: 32 }, (_, i) => i + 2)]);
  });

  test("refuses a window it cannot keep", () => {
    expect(() => new ReorderBuffer(0)).toThrow(RangeError);
    expect(() => new ReorderBuffer(40000)).toThrow(RangeError);
  });
});
