#!/usr/bin/python3
"""The classic networking lab's RTSP client (Client.py + RtpPacket.py of the lab report, §3.5, §4, §7.2, with the
extensions §10.1 statistics, §10.3 DESCRIBE and §10.4 FORWARD / BACKWARD / RESTART over "RTSP/1.4"), transcribed
headless for tests: the Tk window and its buttons are replaced by a script of button presses, and the picture shown
on screen by one file per displayed frame. It is not a player; it exists so that tests can check that the lab's own
client and our server understand each other.

Usage:

    /usr/bin/python3 test/peers/lab-client.py --port 8554 --rtp-port 25000 \\
        --script "setup,play:2.0,pause:0.5,play:1.0,describe,teardown" [--host 127.0.0.1] [--movie movie.Mjpeg] \\
        [--version 1.0|1.4] [--out DIR] [--reply-timeout 5]

  --host, --port     the RTSP server (the lab's <server_name> <server_port>)
  --rtp-port         the UDP port the client binds for RTP (the lab's <client_port>)
  --movie            the file name sent in every request (the lab's <media_file>; default movie.Mjpeg)
  --version          1.0 (default): the lab client; 1.4: the §10.4 client, which also reads `Frames: n` from line 4
                     of the SETUP reply and knows FORWARD, BACKWARD and RESTART
  --script           comma-separated button presses: setup, play, pause, describe, teardown, and with --version 1.4
                     forward, backward, restart. `press:SECONDS` waits that long after the reply (the user watching)
  --out DIR          save every displayed frame as DIR/00001.jpg, 00002.jpg, ... in the order it was displayed
  --reply-timeout    seconds to wait for each reply before giving up on it (default 5)

At the end it prints one JSON line on stdout:

    {"version", "session", "totalFrames", "frames" (sequence numbers of the displayed frames, in order),
     "packets" (sequence number of every RTP packet received, in order), "bytes", "seconds", "dataRate",
     "lost", "lossRate" (the §10.1 statistics), "description" (the DESCRIBE reply's text block, or null),
     "replies" (every reply's raw text), "steps" (per press: "press", "request" as sent, "reply", and the count
     of packets received when the reply came, half-way through the wait and at its end), "errors"}

and exits 0 when every request was answered 200 with the right CSeq and session, 1 otherwise, 2 on bad usage.

Kept from the report on purpose, since it is what is being checked:
  - requests are built exactly like its sendRtspRequest, e.g.
    "SETUP movie.Mjpeg RTSP/1.0\\nCSeq: 1\\nTransport: RTP/UDP; client_port= 25000" and
    "PLAY movie.Mjpeg RTSP/1.0\\nCSeq: 2\\nSession: 123456", with no terminating blank line;
  - replies are read with recv(1024), one reply per read, split on '\\n', CSeq from lines[1] and the session
    from lines[2] with int(), the status from lines[0]; with 1.4, the total frame count from lines[3];
  - RTP: a UDP socket bound to the client port after the SETUP reply, settimeout(0.5), recv(20480), a 12-byte
    header with the sequence number in bytes 2-3 and the frame after it; a frame is displayed only when its
    sequence number is above the last one displayed; FORWARD / BACKWARD / RESTART replies move that mark by
    +20 / -20 / to 0, as the §10.4 client does;
  - statistics (§10.1): bytes of the displayed frames, time from the first packet to the last, their ratio,
    and packets lost counted from gaps in the sequence numbers.
Deviations, each needed to run without a window and to end by itself:
  - the lab's DESCRIBE has no reply handling of its own; the text after the reply's blank line is kept;
  - one RTP listening thread for the session instead of a new one per PLAY press (the report's version never
    stops the earlier ones, leaving several threads reading one socket);
  - the reply thread also ends when the server closes the connection (the lab's spins on an empty recv);
  - the session is taken from the SETUP reply and checked on every later one (the report assigns it before
    comparing, so its check can never fail);
  - the loss rate divides by the packets expected (displayed + lost); the report divides by the last frame
    number, the same figure for a movie played from frame 1 without seeking.
"""

import argparse
import json
import os
import socket
import sys
import threading
import time

HEADER_SIZE = 12
SKIP_FRAMES = 20


class RtpPacket:
    """The decoding half of the lab's RtpPacket.py."""

    def decode(self, byte_stream):
        self.header = bytearray(byte_stream[:HEADER_SIZE])
        self.payload = byte_stream[HEADER_SIZE:]

    def seq_num(self):
        return int(self.header[2] << 8 | self.header[3])

    def get_payload(self):
        return self.payload


class Client:
    INIT, READY, PLAYING = 0, 1, 2
    SETUP, PLAY, PAUSE, TEARDOWN, DESCRIBE, FORWARD, BACKWARD, RESTART = range(8)
    NAMES = ["SETUP", "PLAY", "PAUSE", "TEARDOWN", "DESCRIBE", "FORWARD", "BACKWARD", "RESTART"]

    def __init__(self, server_addr, server_port, rtp_port, file_name, version, out_dir):
        self.server_addr = server_addr
        self.server_port = server_port
        self.rtp_port = rtp_port
        self.file_name = file_name
        self.version = version
        self.out_dir = out_dir
        self.state = self.INIT
        self.rtsp_seq = 0
        self.session_id = 0
        self.request_sent = -1
        self.teardown_acked = 0
        self.frame_nbr = 0
        self.total_frame = None
        self.rtp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.listener = None
        self.reply_thread = None
        self.giving_up = False

        self.replied = threading.Event()
        self.last_reply = None
        self.last_reply_ok = False
        self.replies = []
        self.errors = []
        self.description = None
        self.packets = []
        self.frames = []
        self.sum_of_data = 0
        self.lost = 0
        self.first_packet_at = None
        self.last_packet_at = None
        self.connect_to_server()

    def connect_to_server(self):
        self.rtsp_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.rtsp_socket.connect((self.server_addr, self.server_port))

    def send_rtsp_request(self, request_code):
        """Sends the request if the lab's state allows it; the request text, or None when it does not."""
        head = f"{self.NAMES[request_code]} {self.file_name} {self.version}\nCSeq: "
        if request_code == self.SETUP and self.state == self.INIT:
            self.reply_thread = threading.Thread(target=self.recv_rtsp_reply)
            self.reply_thread.start()
            self.rtsp_seq = 1
            request = head + str(self.rtsp_seq) + "\nTransport: RTP/UDP; client_port= " + str(self.rtp_port)
        elif (
            (request_code == self.PLAY and self.state == self.READY)
            or (request_code == self.PAUSE and self.state == self.PLAYING)
            or (request_code in (self.TEARDOWN, self.DESCRIBE, self.FORWARD, self.BACKWARD, self.RESTART)
                and self.state != self.INIT)
        ):
            self.rtsp_seq += 1
            request = head + str(self.rtsp_seq) + "\nSession: " + str(self.session_id)
        else:
            return None
        self.replied.clear()
        self.request_sent = request_code
        self.rtsp_socket.send(request.encode("utf-8"))
        return request

    def recv_rtsp_reply(self):
        while True:
            try:
                reply = self.rtsp_socket.recv(1024)
            except OSError:
                break
            if not reply:
                if not self.giving_up:
                    self.errors.append("the server closed the RTSP connection")
                self.replied.set()
                break
            self.parse_rtsp_reply(reply.decode("utf-8"))
            if self.request_sent == self.TEARDOWN:
                break

    def parse_rtsp_reply(self, data):
        self.replies.append(data)
        self.last_reply = data
        self.last_reply_ok = False
        try:
            self.apply_reply(data)
        except (IndexError, ValueError) as error:
            self.errors.append(f"unparseable reply ({error}): {data!r}")
        self.replied.set()

    def apply_reply(self, data):
        lines = data.split("\n")
        seq_num = int(lines[1].split(" ")[1])
        if seq_num != self.rtsp_seq:
            self.errors.append(f"reply CSeq {seq_num} to request CSeq {self.rtsp_seq}: {data!r}")
            return
        session = int(lines[2].split(" ")[1])
        if self.request_sent == self.SETUP:
            self.session_id = session
        if self.session_id != session:
            self.errors.append(f"reply Session {session} in session {self.session_id}: {data!r}")
            return
        if int(lines[0].split(" ")[1]) != 200:
            self.errors.append(f"{self.NAMES[self.request_sent]} answered {lines[0]!r}")
            return
        self.last_reply_ok = True
        if self.request_sent == self.SETUP:
            self.state = self.READY
            self.open_rtp_port()
            if self.version == "RTSP/1.4":
                self.total_frame = int(lines[3].split(" ")[1])
        elif self.request_sent == self.PLAY:
            self.state = self.PLAYING
        elif self.request_sent == self.PAUSE:
            self.state = self.READY
        elif self.request_sent == self.TEARDOWN:
            self.state = self.INIT
            self.teardown_acked = 1
            self.rtsp_socket.shutdown(socket.SHUT_RDWR)
            self.rtsp_socket.close()
        elif self.request_sent == self.DESCRIBE:
            self.description = data.split("\n\n", 1)[1] if "\n\n" in data else None
        elif self.request_sent == self.BACKWARD:
            self.frame_nbr = max(0, self.frame_nbr - SKIP_FRAMES)
        elif self.request_sent == self.FORWARD:
            self.frame_nbr = min(self.total_frame - 1, self.frame_nbr + SKIP_FRAMES)
        elif self.request_sent == self.RESTART:
            self.frame_nbr = 0

    def open_rtp_port(self):
        self.rtp_socket.settimeout(0.5)
        self.rtp_socket.bind(("", self.rtp_port))

    def play_movie(self):
        """The Play button: the listening thread starts with the first PLAY and serves the whole session."""
        if self.state == self.READY and self.listener is None:
            self.listener = threading.Thread(target=self.listen_rtp)
            self.listener.start()
        return self.send_rtsp_request(self.PLAY)

    def listen_rtp(self):
        while True:
            try:
                data = self.rtp_socket.recv(20480)
            except OSError:
                if self.teardown_acked == 1 or self.giving_up:
                    self.rtp_socket.close()
                    break
                continue
            if not data:
                continue
            now = time.monotonic()
            self.first_packet_at = self.first_packet_at or now
            self.last_packet_at = now
            rtp_packet = RtpPacket()
            rtp_packet.decode(data)
            current = rtp_packet.seq_num()
            self.packets.append(current)
            if current > self.frame_nbr:
                if current > self.frame_nbr + 1:
                    self.lost += current - self.frame_nbr - 1
                self.frame_nbr = current
                self.write_frame(rtp_packet.get_payload())

    def write_frame(self, data):
        self.frames.append(self.frame_nbr)
        self.sum_of_data += len(data)
        if self.out_dir:
            with open(os.path.join(self.out_dir, f"{len(self.frames):05d}.jpg"), "wb") as file:
                file.write(data)

    def statistics(self):
        seconds = (self.last_packet_at - self.first_packet_at) if self.first_packet_at else 0.0
        expected = len(self.frames) + self.lost
        return {
            "bytes": self.sum_of_data,
            "seconds": seconds,
            "dataRate": self.sum_of_data / seconds if seconds > 0 else None,
            "lost": self.lost,
            "lossRate": self.lost / expected if expected else None,
        }

    def finish(self):
        """Waits for both threads to end: by themselves after a TEARDOWN reply, or told to when the script stopped early."""
        if self.teardown_acked != 1:
            self.giving_up = True
            try:
                self.rtsp_socket.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in (self.listener, self.reply_thread):
            if thread:
                thread.join()
        if self.listener is None:
            self.rtp_socket.close()


PRESSES = {
    "setup": Client.SETUP,
    "play": Client.PLAY,
    "pause": Client.PAUSE,
    "teardown": Client.TEARDOWN,
    "describe": Client.DESCRIBE,
    "forward": Client.FORWARD,
    "backward": Client.BACKWARD,
    "restart": Client.RESTART,
}
LAB_1_4_PRESSES = {"forward", "backward", "restart"}


def parse_script(text, version):
    """[(press as written, press name, seconds to wait after the reply)]; raises ValueError on a bad script."""
    steps = []
    for item in text.split(","):
        name, _, wait = item.strip().partition(":")
        if name not in PRESSES:
            raise ValueError(f"unknown press {name!r} (known: {', '.join(PRESSES)})")
        if name in LAB_1_4_PRESSES and version != "RTSP/1.4":
            raise ValueError(f"{name} needs --version 1.4")
        steps.append((item.strip(), name, float(wait) if wait else 0.0))
    return steps


def run_script(client, steps, reply_timeout):
    records = []
    for press, name, wait in steps:
        code = PRESSES[name]
        request = client.play_movie() if code == Client.PLAY else client.send_rtsp_request(code)
        record = {"press": press, "request": request, "reply": None}
        records.append(record)
        if request is None:
            client.errors.append(f"{name}: not sent in state {client.state} (the lab client ignores the press)")
            continue
        if not client.replied.wait(reply_timeout):
            client.errors.append(f"{name}: no reply within {reply_timeout} s")
            break
        record["reply"] = client.last_reply
        record["packetsAtReply"] = len(client.packets)
        time.sleep(wait / 2)
        record["packetsMidway"] = len(client.packets)
        time.sleep(wait / 2)
        record["packetsAtEnd"] = len(client.packets)
        if not client.last_reply_ok:
            break
    return records


def main():
    parser = argparse.ArgumentParser(description="The classic lab's RTSP client, headless, driven by a script")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rtp-port", type=int, required=True)
    parser.add_argument("--movie", default="movie.Mjpeg")
    parser.add_argument("--version", choices=["1.0", "1.4"], default="1.0")
    parser.add_argument("--script", required=True)
    parser.add_argument("--out")
    parser.add_argument("--reply-timeout", type=float, default=5.0)
    args = parser.parse_args()
    version = f"RTSP/{args.version}"
    try:
        steps = parse_script(args.script, version)
    except ValueError as error:
        parser.error(str(error))
    if args.out:
        os.makedirs(args.out, exist_ok=True)

    client = Client(args.host, args.port, args.rtp_port, args.movie, version, args.out)
    steps_run = run_script(client, steps, args.reply_timeout)
    client.finish()
    result = {
        "version": version,
        "session": client.session_id,
        "totalFrames": client.total_frame,
        "frames": client.frames,
        "packets": client.packets,
        **client.statistics(),
        "description": client.description,
        "replies": client.replies,
        "steps": steps_run,
        "errors": client.errors,
    }
    print(json.dumps(result), flush=True)
    return 1 if client.errors else 0


if __name__ == "__main__":
    sys.exit(main())
