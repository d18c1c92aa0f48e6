// Wire tables shared by the reader tests and the split tests: raw bytes as sent by each kind of peer, the messages
// they carry, and their normalized serialization (CRLF, blank line, Content-Length).
import type { ReaderLimits } from "../../lib/rtsp/reader.ts";
import { errorEvent, messageEvent, request, response, type Kind, type Message } from "./wire.ts";

export interface MessageCase {
  name: string;
  kind: Kind;
  wire: string;
  messages: Message[];
  normalized: string;
}

export interface EventCase {
  name: string;
  kind: Kind;
  wire: string;
  events: unknown[];
  limits?: Partial<ReaderLimits>;
}

export const MESSAGE_CASES: MessageCase[] = [
  {
    name: "lab SETUP: LF lines, no blank line, no final newline",
    kind: "request",
    wire: "SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 25000",
    messages: [request("SETUP", "movie.Mjpeg", [["CSeq", "1"], ["Transport", "RTP/UDP; client_port= 25000"]])],
    normalized: "SETUP movie.Mjpeg RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/UDP; client_port= 25000\r\n\r\n",
  },
  {
    name: "lab PLAY with a final newline but no blank line",
    kind: "request",
    wire: "PLAY movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: 123456\n",
    messages: [request("PLAY", "movie.Mjpeg", [["CSeq", "2"], ["Session", "123456"]])],
    normalized: "PLAY movie.Mjpeg RTSP/1.0\r\nCSeq: 2\r\nSession: 123456\r\n\r\n",
  },
  {
    name: "lab RTSP/1.4 FORWARD",
    kind: "request",
    wire: "FORWARD movie.Mjpeg RTSP/1.4\nCSeq: 6\nSession: 510307",
    messages: [request("FORWARD", "movie.Mjpeg", [["CSeq", "6"], ["Session", "510307"]], "", "RTSP/1.4")],
    normalized: "FORWARD movie.Mjpeg RTSP/1.4\r\nCSeq: 6\r\nSession: 510307\r\n\r\n",
  },
  {
    name: "lab session: SETUP, PLAY, PAUSE, TEARDOWN in one read",
    kind: "request",
    wire:
      "SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 25000\n" +
      "PLAY movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: 123456\n" +
      "PAUSE movie.Mjpeg RTSP/1.0\nCSeq: 3\nSession: 123456\n" +
      "TEARDOWN movie.Mjpeg RTSP/1.0\nCSeq: 4\nSession: 123456",
    messages: [
      request("SETUP", "movie.Mjpeg", [["CSeq", "1"], ["Transport", "RTP/UDP; client_port= 25000"]]),
      request("PLAY", "movie.Mjpeg", [["CSeq", "2"], ["Session", "123456"]]),
      request("PAUSE", "movie.Mjpeg", [["CSeq", "3"], ["Session", "123456"]]),
      request("TEARDOWN", "movie.Mjpeg", [["CSeq", "4"], ["Session", "123456"]]),
    ],
    normalized:
      "SETUP movie.Mjpeg RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/UDP; client_port= 25000\r\n\r\n" +
      "PLAY movie.Mjpeg RTSP/1.0\r\nCSeq: 2\r\nSession: 123456\r\n\r\n" +
      "PAUSE movie.Mjpeg RTSP/1.0\r\nCSeq: 3\r\nSession: 123456\r\n\r\n" +
      "TEARDOWN movie.Mjpeg RTSP/1.0\r\nCSeq: 4\r\nSession: 123456\r\n\r\n",
  },
  {
    name: "ffmpeg OPTIONS: CRLF, rtsp:// URL, blank line",
    kind: "request",
    wire: "OPTIONS rtsp://127.0.0.1:8554/movie RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: Lavf61.7.100\r\n\r\n",
    messages: [request("OPTIONS", "rtsp://127.0.0.1:8554/movie", [["CSeq", "1"], ["User-Agent", "Lavf61.7.100"]])],
    normalized: "OPTIONS rtsp://127.0.0.1:8554/movie RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: Lavf61.7.100\r\n\r\n",
  },
  {
    name: "standard SETUP with client_port=N-M and no space",
    kind: "request",
    wire: "SETUP rtsp://h/movie/track1 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP/UDP;unicast;client_port=5000-5001\r\n\r\n",
    messages: [
      request("SETUP", "rtsp://h/movie/track1", [["CSeq", "3"], ["Transport", "RTP/AVP/UDP;unicast;client_port=5000-5001"]]),
    ],
    normalized: "SETUP rtsp://h/movie/track1 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP/UDP;unicast;client_port=5000-5001\r\n\r\n",
  },
  {
    name: "OPTIONS * with mixed line endings and no space after the colon",
    kind: "request",
    wire: "OPTIONS * RTSP/1.0\nCSeq:7\r\nRequire:  implicit-play  \n\r\n",
    messages: [request("OPTIONS", "*", [["CSeq", "7"], ["Require", "implicit-play"]])],
    normalized: "OPTIONS * RTSP/1.0\r\nCSeq: 7\r\nRequire: implicit-play\r\n\r\n",
  },
  {
    name: "LF LF terminated request",
    kind: "request",
    wire: "GET_PARAMETER rtsp://h/movie RTSP/1.0\nCSeq: 9\nSession: ab12\n\n",
    messages: [request("GET_PARAMETER", "rtsp://h/movie", [["CSeq", "9"], ["Session", "ab12"]])],
    normalized: "GET_PARAMETER rtsp://h/movie RTSP/1.0\r\nCSeq: 9\r\nSession: ab12\r\n\r\n",
  },
  {
    name: "ANNOUNCE with a Content-Length body",
    kind: "request",
    wire: "ANNOUNCE rtsp://h/live RTSP/1.0\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: 11\r\n\r\nv=0\r\ns=x\r\n\r\n",
    messages: [
      request(
        "ANNOUNCE",
        "rtsp://h/live",
        [["CSeq", "2"], ["Content-Type", "application/sdp"], ["Content-Length", "11"]],
        "v=0\r\ns=x\r\n\r",
      ),
    ],
    normalized: "ANNOUNCE rtsp://h/live RTSP/1.0\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: 11\r\n\r\nv=0\r\ns=x\r\n\r",
  },
  {
    name: "folded header continuation",
    kind: "request",
    wire: "SETUP rtsp://h/m RTSP/1.0\r\nCSeq: 4\r\nTransport: RTP/AVP;unicast;\r\n client_port=6000-6001\r\n\r\n",
    messages: [request("SETUP", "rtsp://h/m", [["CSeq", "4"], ["Transport", "RTP/AVP;unicast; client_port=6000-6001"]])],
    normalized: "SETUP rtsp://h/m RTSP/1.0\r\nCSeq: 4\r\nTransport: RTP/AVP;unicast; client_port=6000-6001\r\n\r\n",
  },
  {
    name: "blank lines before and between standard requests",
    kind: "request",
    wire: "\r\n\r\nPLAY rtsp://h/m RTSP/1.0\r\nCSeq: 5\r\nRange: npt=0-\r\n\r\n\r\nTEARDOWN rtsp://h/m RTSP/1.0\r\nCSeq: 6\r\n\r\n",
    messages: [
      request("PLAY", "rtsp://h/m", [["CSeq", "5"], ["Range", "npt=0-"]]),
      request("TEARDOWN", "rtsp://h/m", [["CSeq", "6"]]),
    ],
    normalized: "PLAY rtsp://h/m RTSP/1.0\r\nCSeq: 5\r\nRange: npt=0-\r\n\r\nTEARDOWN rtsp://h/m RTSP/1.0\r\nCSeq: 6\r\n\r\n",
  },
  {
    name: "lab reply: no blank line, no final newline",
    kind: "response",
    wire: "RTSP/1.0 200 OK\nCSeq: 1\nSession: 123456",
    messages: [response(200, "OK", [["CSeq", "1"], ["Session", "123456"]])],
    normalized: "RTSP/1.0 200 OK\r\nCSeq: 1\r\nSession: 123456\r\n\r\n",
  },
  {
    name: "lab RTSP/1.4 reply with Frames",
    kind: "response",
    wire: "RTSP/1.4 200 OK\nCSeq: 1\nSession: 510307\nFrames: 500",
    messages: [response(200, "OK", [["CSeq", "1"], ["Session", "510307"], ["Frames", "500"]], "", "RTSP/1.4")],
    normalized: "RTSP/1.4 200 OK\r\nCSeq: 1\r\nSession: 510307\r\nFrames: 500\r\n\r\n",
  },
  {
    name: "standard SETUP reply",
    kind: "response",
    wire:
      "RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession: 12345678;timeout=60\r\n" +
      "Transport: RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;ssrc=0A1B2C3D\r\n\r\n",
    messages: [
      response(200, "OK", [
        ["CSeq", "3"],
        ["Session", "12345678;timeout=60"],
        ["Transport", "RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;ssrc=0A1B2C3D"],
      ]),
    ],
    normalized:
      "RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession: 12345678;timeout=60\r\n" +
      "Transport: RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;ssrc=0A1B2C3D\r\n\r\n",
  },
  {
    name: "DESCRIBE reply with an SDP body",
    kind: "response",
    wire:
      "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Base: rtsp://h/m/\r\nContent-Type: application/sdp\r\nContent-Length: 51\r\n\r\n" +
      "v=0\r\nm=video 0 RTP/AVP 26\r\na=rtpmap:26 JPEG/90000\r\n",
    messages: [
      response(
        200,
        "OK",
        [["CSeq", "2"], ["Content-Base", "rtsp://h/m/"], ["Content-Type", "application/sdp"], ["Content-Length", "51"]],
        "v=0\r\nm=video 0 RTP/AVP 26\r\na=rtpmap:26 JPEG/90000\r\n",
      ),
    ],
    normalized:
      "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Base: rtsp://h/m/\r\nContent-Type: application/sdp\r\nContent-Length: 51\r\n\r\n" +
      "v=0\r\nm=video 0 RTP/AVP 26\r\na=rtpmap:26 JPEG/90000\r\n",
  },
  {
    name: "status line without a reason phrase, then a 454 with a multi-word reason",
    kind: "response",
    wire: "RTSP/1.0 200\r\nCSeq: 1\r\n\r\nRTSP/1.0 454 Session Not Found\r\nCSeq: 2\r\n\r\n",
    messages: [response(200, "", [["CSeq", "1"]]), response(454, "Session Not Found", [["CSeq", "2"]])],
    normalized: "RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\nRTSP/1.0 454 Session Not Found\r\nCSeq: 2\r\n\r\n",
  },
];

const SMALL_LIMITS: Partial<ReaderLimits> = { maxHeaderBytes: 64, maxHeaders: 3, maxBodyBytes: 8, maxUriBytes: 16 };
const NEXT = "OPTIONS * RTSP/1.0\r\nCSeq: 9\r\n\r\n";
const next = messageEvent(request("OPTIONS", "*", [["CSeq", "9"]]));

export const EVENT_CASES: EventCase[] = [
  {
    name: "interleaved frames between messages",
    kind: "request",
    wire: `$\x00\x00\x03abc${NEXT}$\x01\x00\x00$\xff\x00\x02\x00\x0a`,
    events: [
      { type: "interleaved", channel: 0, payload: new Uint8Array([97, 98, 99]) },
      next,
      { type: "interleaved", channel: 1, payload: new Uint8Array([]) },
      { type: "interleaved", channel: 255, payload: new Uint8Array([0, 10]) },
    ],
  },
  {
    name: "interleaved RTCP after a lab-style reply ends it",
    kind: "response",
    wire: "RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 1\r\n$\x01\x00\x01\x80",
    events: [
      messageEvent(response(200, "OK", [["CSeq", "4"], ["Session", "1"]])),
      { type: "interleaved", channel: 1, payload: new Uint8Array([0x80]) },
    ],
  },
  {
    name: "400 malformed request line, echoing CSeq; the connection stays usable",
    kind: "request",
    wire: `PLAY movie.Mjpeg\r\nCSeq: 3\r\n\r\n${NEXT}`,
    events: [errorEvent(400, "3"), next],
  },
  {
    name: "400 malformed header line inside a delimited message",
    kind: "request",
    wire: `OPTIONS * RTSP/1.0\r\nCSeq: 5\r\nno colon here\r\n\r\n${NEXT}`,
    events: [errorEvent(400, "5"), next],
  },
  {
    name: "400 folded line with no header before it",
    kind: "request",
    wire: `OPTIONS * RTSP/1.0\r\n folded\r\nCSeq: 5\r\n\r\n${NEXT}`,
    events: [errorEvent(400, "5"), next],
  },
  {
    name: "400 invalid Content-Length",
    kind: "request",
    wire: `ANNOUNCE x RTSP/1.0\r\nCSeq: 6\r\nContent-Length: 1x\r\n\r\n${NEXT}`,
    events: [errorEvent(400, "6"), next],
  },
  {
    name: "400 lab request that claims a body without a blank line",
    kind: "request",
    wire: "SET_PARAMETER movie.Mjpeg RTSP/1.0\nCSeq: 8\nContent-Length: 4",
    events: [errorEvent(400, "8")],
  },
  {
    name: "505 RTSP/2.0",
    kind: "request",
    wire: `OPTIONS * RTSP/2.0\r\nCSeq: 4\r\n\r\n${NEXT}`,
    events: [errorEvent(505, "4"), next],
  },
  {
    name: "505 HTTP/1.1",
    kind: "request",
    wire: `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${NEXT}`,
    events: [errorEvent(505), next],
  },
  {
    name: "505 in a lab-style run: the next request line still ends it",
    kind: "request",
    wire: "PLAY movie.Mjpeg RTSP/1.1\nCSeq: 2\nPAUSE movie.Mjpeg RTSP/1.0\nCSeq: 3",
    events: [errorEvent(505, "2"), messageEvent(request("PAUSE", "movie.Mjpeg", [["CSeq", "3"]]))],
  },
  {
    name: "414 request-URI longer than maxUriBytes",
    kind: "request",
    wire: `DESCRIBE rtsp://h/${"a".repeat(20)} RTSP/1.0\r\nCSeq: 2\r\n\r\n${NEXT}`,
    events: [errorEvent(414, "2"), next],
    limits: SMALL_LIMITS,
  },
  {
    name: "414 request line longer than maxHeaderBytes",
    kind: "request",
    wire: `DESCRIBE rtsp://h/${"a".repeat(80)} RTSP/1.0\r\nCSeq: 2\r\n\r\n${NEXT}`,
    events: [errorEvent(414), next],
    limits: SMALL_LIMITS,
  },
  {
    name: "400 start line without spaces longer than maxHeaderBytes",
    kind: "request",
    wire: `${"A".repeat(80)}\r\n\r\n${NEXT}`,
    events: [errorEvent(400), next],
    limits: SMALL_LIMITS,
  },
  {
    name: "431 header block larger than maxHeaderBytes",
    kind: "request",
    wire: `OPTIONS * RTSP/1.0\r\nCSeq: 7\r\nX-A: ${"a".repeat(20)}\r\nX-B: ${"b".repeat(20)}\r\n\r\n${NEXT}`,
    events: [errorEvent(431, "7"), next],
    limits: SMALL_LIMITS,
  },
  {
    name: "431 one header line larger than maxHeaderBytes",
    kind: "request",
    wire: `OPTIONS * RTSP/1.0\r\nCSeq: 7\r\nX-A: ${"a".repeat(100)}\r\nX-B: b\r\n\r\n${NEXT}`,
    events: [errorEvent(431, "7"), next],
    limits: SMALL_LIMITS,
  },
  {
    name: "431 more header lines than maxHeaders",
    kind: "request",
    wire: `OPTIONS * RTSP/1.0\r\nCSeq: 7\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n${NEXT}`,
    events: [errorEvent(431, "7"), next],
    limits: SMALL_LIMITS,
  },
  {
    name: "431 in a lab-style run: the next request line ends the discarded one",
    kind: "request",
    wire: `PLAY m RTSP/1.0\nCSeq: 2\nX: ${"x".repeat(100)}\nY: y\nPAUSE m RTSP/1.0\nCSeq: 3`,
    events: [errorEvent(431, "2"), messageEvent(request("PAUSE", "m", [["CSeq", "3"]]))],
    limits: SMALL_LIMITS,
  },
  {
    name: "413 body larger than maxBodyBytes is skipped",
    kind: "request",
    wire: `ANNOUNCE x RTSP/1.0\r\nCSeq: 8\r\nContent-Length: 12\r\n\r\nOPTIONS * RT${NEXT}`,
    events: [errorEvent(413, "8"), next],
    limits: SMALL_LIMITS,
  },
  {
    name: "fatal: binary data instead of a request (a TLS ClientHello)",
    kind: "request",
    wire: `\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03${NEXT}`,
    events: [errorEvent(400, undefined, true)],
  },
  {
    name: "fatal: control bytes in the start line",
    kind: "request",
    wire: `OPT\x00IONS * RTSP/1.0\r\n\r\n${NEXT}`,
    events: [errorEvent(400, undefined, true)],
  },
  {
    name: "fatal after a good message: earlier events stand",
    kind: "request",
    wire: `${NEXT}\xff\xfe\xfd`,
    events: [next, errorEvent(400, undefined, true)],
  },
  {
    name: "505 HTTP response",
    kind: "response",
    wire: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiRTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n",
    events: [errorEvent(505), messageEvent(response(200, "OK", [["CSeq", "1"]]))],
  },
  {
    name: "lab DESCRIBE reply: text after the blank line without Content-Length is not a message",
    kind: "response",
    wire: "RTSP/1.0 200 OK\nCSeq: 2\nSession: 510307\n\nDESCRIPTION\nThe video file : movie.Mjpeg\nVideo size = 4.07 MB\n",
    events: [messageEvent(response(200, "OK", [["CSeq", "2"], ["Session", "510307"]])), errorEvent(400)],
  },
];
