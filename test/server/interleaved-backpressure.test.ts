// Interleaved output under backpressure: what the socket does not take is queued in order and finished on drain;
// a client too far behind is reported congested (its session then skips whole frames).
import { describe, expect, test } from "bun:test";
import type { Socket } from "bun";
import { decodeRtp, RTP_HEADER_BYTES, writeRtpHeader, type RtpHeader } from "../../lib/rtp/packet.ts";
import { ConnectionWriter } from "../../lib/server/connection-writer.ts";
import { InterleavedTransport } from "../../lib/server/interleaved-transport.ts";
import { INTERLEAVED_HEADER_BYTES, SharedPacket } from "../../lib/server/movie-library.ts";

/** A packet as a session hands it over: the shared payload with this client's RTP header written in place. */
function packetWith(header: RtpHeader, payload: Uint8Array): SharedPacket {
  const packet = new SharedPacket(new ArrayBuffer(INTERLEAVED_HEADER_BYTES + RTP_HEADER_BYTES + payload.length), 0, payload);
  writeRtpHeader(packet.datagram, 0, header);
  return packet;
}

/** A socket that accepts at most `capacity` bytes per write call until told otherwise. */
function stingySocket(capacity: number) {
  const taken: number[] = [];
  const socket = {
    capacity,
    write(bytes: Uint8Array) {
      const count = Math.min(bytes.length, socket.capacity);
      taken.push(...bytes.subarray(0, count));
      return count;
    },
  };
  return { socket, taken, asBunSocket: socket as unknown as Socket<unknown> };
}

describe("ConnectionWriter", () => {
  test("queues what the socket does not take and writes it, in order, on drain", () => {
    const { socket, taken, asBunSocket } = stingySocket(3);
    const writer = new ConnectionWriter(asBunSocket);
    writer.write(Uint8Array.of(1, 2, 3, 4, 5));
    writer.write(Uint8Array.of(6, 7));
    expect(taken).toEqual([1, 2, 3]);
    expect(writer.queuedBytes).toBe(4);
    socket.capacity = 1;
    writer.drain();
    expect(taken).toEqual([1, 2, 3, 4]);
    expect(writer.queuedBytes).toBe(3);
    socket.capacity = 100;
    writer.drain();
    expect(taken).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(writer.queuedBytes).toBe(0);
  });

  test("copies a reused scratch buffer before queueing it", () => {
    const { socket, taken, asBunSocket } = stingySocket(0);
    const writer = new ConnectionWriter(asBunSocket);
    const scratch = Uint8Array.of(9, 9);
    writer.write(scratch);
    scratch.fill(0);
    socket.capacity = 10;
    writer.drain();
    expect(taken).toEqual([9, 9]);
  });
});

describe("InterleavedTransport", () => {
  test("frames RTP as $ channel length header+payload and reports congestion past its bound", () => {
    const { socket, taken, asBunSocket } = stingySocket(0);
    const writer = new ConnectionWriter(asBunSocket);
    const transport = new InterleavedTransport(writer, [2, 3], 100);
    const payload = Uint8Array.from({ length: 60 }, (_, i) => i);
    transport.sendRtpPackets([packetWith({ marker: true, payloadType: 26, sequenceNumber: 7, timestamp: 9000, ssrc: 0x1234 }, payload)]);
    expect(transport.congested).toBe(false);
    transport.sendRtcp(Uint8Array.of(0x80, 200, 0, 0));
    transport.sendRtpPackets([packetWith({ marker: false, payloadType: 26, sequenceNumber: 8, timestamp: 9000, ssrc: 0x1234 }, payload)]);
    expect(transport.congested).toBe(true);

    socket.capacity = 10_000;
    writer.drain();
    expect(transport.congested).toBe(false);
    const bytes = Uint8Array.from(taken);
    expect([...bytes.subarray(0, 4)]).toEqual([0x24, 2, 0, 72]);
    const packet = decodeRtp(bytes.subarray(4, 76));
    expect(packet).toMatchObject({ sequenceNumber: 7, marker: true, ssrc: 0x1234, payload });
    expect([...bytes.subarray(76, 84)]).toEqual([0x24, 3, 0, 4, 0x80, 200, 0, 0]);
    expect(decodeRtp(bytes.subarray(88))).toMatchObject({ sequenceNumber: 8 });
  });
});
