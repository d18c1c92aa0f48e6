import { describe, expect, test } from "bun:test";
import { parseTransport, serializeTransport, TransportError, type TransportSpec } from "../../lib/rtsp/transport.ts";

const udp = (fields: Partial<TransportSpec>): TransportSpec => ({
  protocol: "RTP/AVP",
  lowerTransport: "UDP",
  unicast: true,
  ...fields,
});

// wire value → parsed alternatives → each serialized in the normalized form.
const TABLE: Array<[wire: string, parsed: TransportSpec[], normalized: string[]]> = [
  [
    "RTP/UDP; client_port= 25000",
    [udp({ protocol: "RTP/UDP", clientPort: [25000] })],
    ["RTP/UDP;unicast;client_port=25000"],
  ],
  ["RTP/UDP;client_port=25000", [udp({ protocol: "RTP/UDP", clientPort: [25000] })], ["RTP/UDP;unicast;client_port=25000"]],
  [
    "RTP/AVP;unicast;client_port=5000-5001",
    [udp({ clientPort: [5000, 5001] })],
    ["RTP/AVP;unicast;client_port=5000-5001"],
  ],
  [
    "RTP/AVP/UDP;unicast;client_port=5000-5001",
    [udp({ protocol: "RTP/AVP/UDP", clientPort: [5000, 5001] })],
    ["RTP/AVP;unicast;client_port=5000-5001"],
  ],
  [
    "RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;ssrc=0A1B2C3D",
    [udp({ clientPort: [5000, 5001], serverPort: [6000, 6001], ssrc: 0x0a1b2c3d })],
    ["RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;ssrc=0A1B2C3D"],
  ],
  [
    "RTP/AVP/TCP;unicast;interleaved=0-1",
    [{ protocol: "RTP/AVP/TCP", lowerTransport: "TCP", unicast: true, interleaved: [0, 1] }],
    ["RTP/AVP/TCP;unicast;interleaved=0-1"],
  ],
  [
    "rtp/avp/tcp;Interleaved=2-3;SSRC=ff;Mode=\"PLAY\"",
    [{ protocol: "RTP/AVP/TCP", lowerTransport: "TCP", unicast: true, interleaved: [2, 3], ssrc: 0xff, mode: "PLAY" }],
    ["RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=000000FF;mode=PLAY"],
  ],
  [
    "RTP/AVP;multicast;destination=224.2.0.1;ttl=16;port=5000-5001",
    [udp({ unicast: false, destination: "224.2.0.1" })],
    ["RTP/AVP;multicast;destination=224.2.0.1"],
  ],
  [
    "RTP/AVP;unicast;source=127.0.0.1;client_port=7000-7001;server_port=8000;ssrc=FFFFFFFF;mode=play;x-unknown=1;layers",
    [udp({ source: "127.0.0.1", clientPort: [7000, 7001], serverPort: [8000], ssrc: 0xffffffff, mode: "play" })],
    ["RTP/AVP;unicast;source=127.0.0.1;client_port=7000-7001;server_port=8000;ssrc=FFFFFFFF;mode=play"],
  ],
  [
    // ffmpeg offers alternatives; GStreamer lists several lower transports.
    "RTP/AVP/UDP;unicast;client_port=5000-5001, RTP/AVP/TCP;unicast;interleaved=0-1",
    [
      udp({ protocol: "RTP/AVP/UDP", clientPort: [5000, 5001] }),
      { protocol: "RTP/AVP/TCP", lowerTransport: "TCP", unicast: true, interleaved: [0, 1] },
    ],
    ["RTP/AVP;unicast;client_port=5000-5001", "RTP/AVP/TCP;unicast;interleaved=0-1"],
  ],
];

const INVALID = [
  "",
  ",",
  "RTP/AVP,",
  "RTP",
  "RTP/AVP/SCTP",
  "RTP/AVP;client_port=",
  "RTP/AVP;client_port=abc",
  "RTP/AVP;client_port=70000",
  "RTP/AVP;client_port=5000-70000",
  "RTP/AVP;client_port=-5",
  "RTP/AVP/TCP;interleaved=256-257",
  "RTP/AVP;ssrc=123456789",
  "RTP/AVP;ssrc=xyz",
  "RTP/AVP;destination",
  "RTP/AVP;mode=\"a b\"",
];

describe("Transport header", () => {
  for (const [wire, parsed, normalized] of TABLE) {
    test(`parses and normalizes ${JSON.stringify(wire)}`, () => {
      expect(parseTransport(wire)).toEqual(parsed);
      expect(parsed.map(serializeTransport)).toEqual(normalized);
      expect(normalized.map((text) => serializeTransport(parseTransport(text)[0]))).toEqual(normalized);
    });
  }

  for (const wire of INVALID) {
    test(`rejects ${JSON.stringify(wire)}`, () => {
      expect(() => parseTransport(wire)).toThrow(TransportError);
    });
  }
});
