// Seeded fuzz pass over the committed corpus: mutated wire inputs must never throw, must give well-formed events
// that do not depend on how the stream is chunked, and must keep the reader's memory bounded. Header parsers may
// only throw their own error class, and what they return must serialize to a stable normalized form.
import { describe, expect, test } from "bun:test";
import {
  AuthHeaderError,
  parseAuthorization,
  parseWwwAuthenticate,
  serializeAuthorization,
  serializeWwwAuthenticate,
} from "../../lib/rtsp/auth.ts";
import { parseRange, RangeHeaderError, serializeRange } from "../../lib/rtsp/range.ts";
import { DEFAULT_READER_LIMITS, type ReaderEvent, type ReaderLimits } from "../../lib/rtsp/reader.ts";
import { parseRtpInfo, RtpInfoError, serializeRtpInfo } from "../../lib/rtsp/rtp-info.ts";
import { parseSessionHeader, serializeSessionHeader, SessionHeaderError } from "../../lib/rtsp/session-header.ts";
import { parseTransport, serializeTransport, TransportError } from "../../lib/rtsp/transport.ts";
import corpus from "./corpus.json";
import { latin1, newReader, readChunks, wire, type Kind, type Message } from "./wire.ts";

const SEED = 0x5eed2326;
const READER_ITERATIONS = 3000;
const HEADER_ITERATIONS = 1500;
const ERROR_STATUSES = new Set([400, 413, 414, 431, 505]);
const SMALL_LIMITS: ReaderLimits = { maxHeaderBytes: 96, maxHeaders: 4, maxBodyBytes: 24, maxUriBytes: 32 };
const INTERESTING_BYTES = wire("\r\n\r\n$: ;=-,\"\x00\xff");

/** mulberry32: small, fast, deterministic. */
function randomSource(seed: number): (limit: number) => number {
  let state = seed >>> 0;
  return (limit) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * limit);
  };
}

function mutate(input: Uint8Array, pool: string[], random: (limit: number) => number): Uint8Array {
  let bytes = Array.from(input);
  const operations = 1 + random(4);
  for (let step = 0; step < operations; step++) {
    const at = random(bytes.length + 1);
    switch (random(6)) {
      case 0:
        if (bytes.length > 0) bytes[at % bytes.length] ^= 1 << random(8);
        break;
      case 1:
        bytes = bytes.slice(0, at);
        break;
      case 2:
        bytes.splice(at, 0, ...Array.from({ length: 1 + random(8) }, () => random(256)));
        break;
      case 3:
        bytes.splice(at, 0, INTERESTING_BYTES[random(INTERESTING_BYTES.length)]);
        break;
      case 4: {
        const donor = wire(pool[random(pool.length)]);
        const from = random(donor.length + 1);
        bytes.splice(at, 0, ...donor.subarray(from, from + random(64)));
        break;
      }
      case 5:
        bytes = Array.from({ length: random(64) }, () => random(256));
        break;
    }
  }
  return Uint8Array.from(bytes);
}

function expectWellFormed(events: ReaderEvent<Message>[], kind: Kind, limits: ReaderLimits): void {
  events.forEach((event, index) => {
    if (event.type === "interleaved") {
      expect(event.channel).toBeWithin(0, 256);
      expect(event.payload).toBeInstanceOf(Uint8Array);
      expect(event.payload.length).toBeLessThanOrEqual(0xffff);
    } else if (event.type === "error") {
      expect(ERROR_STATUSES.has(event.status)).toBe(true);
      expect(event.reason).toBeString();
      if (event.cseq !== undefined) expect(event.cseq).toBeString();
      if (event.fatal) expect(index).toBe(events.length - 1);
    } else {
      const message = event.message;
      expect(["RTSP/1.0", "RTSP/1.4"]).toContain(message.version);
      for (const header of message.headers) {
        expect(header).toHaveLength(2);
        expect(header[0]).toMatch(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/);
        expect(header[1]).toBeString();
      }
      expect(message.body.length).toBeLessThanOrEqual(limits.maxBodyBytes);
      if (kind === "request") {
        expect("method" in message && message.method.length > 0 && message.uri.length > 0).toBe(true);
      } else {
        expect("status" in message && Number.isInteger(message.status)).toBe(true);
      }
    }
  });
}

describe("fuzz", () => {
  test("RtspReader: mutated wire inputs, random chunking", () => {
    const random = randomSource(SEED);
    const kinds: Kind[] = ["request", "response"];
    let messages = 0;
    let errors = 0;
    for (let iteration = 0; iteration < READER_ITERATIONS; iteration++) {
      const kind = kinds[iteration % 2];
      const pool = corpus[kind];
      const limits = iteration % 3 === 0 ? SMALL_LIMITS : DEFAULT_READER_LIMITS;
      const input = mutate(wire(pool[random(pool.length)]), pool, random);
      const whole = readChunks(kind, [input], limits);
      expectWellFormed(whole, kind, limits);

      const cuts = Array.from({ length: random(4) }, () => random(input.length + 1)).sort((a, b) => a - b);
      const reader = newReader(kind, limits);
      const chunked: ReaderEvent<Message>[] = [];
      let previous = 0;
      for (const cut of [...cuts, input.length]) {
        chunked.push(...reader.push(input.subarray(previous, cut)));
        previous = cut;
        expect(reader.bufferedBytes).toBeLessThanOrEqual(Math.max(2 * limits.maxHeaderBytes + 1, limits.maxBodyBytes, 4 + 0xffff));
      }
      chunked.push(...reader.flush());
      if (!Bun.deepEquals(chunked, whole)) {
        expect({ input: latin1(input), cuts, chunked }).toEqual({ input: latin1(input), cuts, chunked: whole });
      }
      messages += whole.filter((event) => event.type === "message").length;
      errors += whole.filter((event) => event.type === "error").length;
    }
    // The mutations must leave enough structure to exercise both the happy and the error paths.
    expect(messages).toBeGreaterThan(READER_ITERATIONS / 5);
    expect(errors).toBeGreaterThan(READER_ITERATIONS / 10);
  });

  const headerParsers: Array<{
    name: keyof typeof corpus;
    error: new (...args: never[]) => Error;
    normalize: (value: string) => string;
  }> = [
    { name: "transport", error: TransportError, normalize: (value) => parseTransport(value).map(serializeTransport).join(",") },
    { name: "session", error: SessionHeaderError, normalize: (value) => serializeSessionHeader(parseSessionHeader(value)) },
    { name: "range", error: RangeHeaderError, normalize: (value) => serializeRange(parseRange(value)) },
    { name: "rtpInfo", error: RtpInfoError, normalize: (value) => serializeRtpInfo(parseRtpInfo(value)) },
    {
      name: "wwwAuthenticate",
      error: AuthHeaderError,
      normalize: (value) => serializeWwwAuthenticate(parseWwwAuthenticate(value)),
    },
    { name: "authorization", error: AuthHeaderError, normalize: (value) => serializeAuthorization(parseAuthorization(value)) },
  ];

  for (const { name, error, normalize } of headerParsers) {
    test(`${name}: parse only throws its own error and normalizes stably`, () => {
      const random = randomSource(SEED ^ name.length);
      const pool = corpus[name];
      let parsed = 0;
      for (let iteration = 0; iteration < HEADER_ITERATIONS; iteration++) {
        const input = latin1(mutate(wire(pool[random(pool.length)]), pool, random));
        let normalized: string;
        try {
          normalized = normalize(input);
        } catch (thrown) {
          if (!(thrown instanceof error)) expect({ input, thrown }).toBeUndefined();
          continue;
        }
        parsed++;
        if (normalize(normalized) !== normalized) expect({ input, again: normalize(normalized) }).toEqual({ input, again: normalized });
      }
      expect(parsed).toBeGreaterThan(HEADER_ITERATIONS / 20);
    });
  }
});
