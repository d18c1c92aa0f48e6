#!/usr/bin/python3
"""The classic networking lab's RTSP server (Server.py + ServerWorker.py + VideoStream.py + RtpPacket.py of the
lab report), condensed into one file, for interop tests and `rtsp bench --dialect lab` comparisons.

Usage:

    /usr/bin/python3 test/peers/lab-server.py --port 8570 media/movie.Mjpeg

  MOVIE      a lab-format movie; clients ask for it by its file name (SETUP movie.Mjpeg RTSP/1.0 ...).
  --port N   RTSP port (default 8554).

Once listening it prints one line to stdout and flushes it:

    ready rtsp://127.0.0.1:<port>/<movie file name>

Behaviour kept from the lab on purpose, since it is what is being compared:
  - one request per recv(256), lines split on '\\n', the client port read as request[2].split(' ')[3];
  - replies `RTSP/1.0 200 OK\\nCSeq: n\\nSession: id` with no terminating blank line; unknown methods unanswered;
  - one thread per client sending one RTP datagram per frame (whole JPEG, PT 26, seq = frame number,
    timestamp = int(time())), pacing with event.wait(0.05) after each send, so it drifts.
One deviation: the lab's receive loop spins forever once the client disconnects (recv returns b''); this one
ends the thread there instead, so finished sessions do not burn the CPU being measured.
"""

import argparse
import os
import socket
import struct
import sys
import threading
import time
from random import randint


class VideoStream:
    def __init__(self, filename):
        self.file = open(filename, "rb")
        self.frame_number = 0

    def next_frame(self):
        length = self.file.read(5)
        if not length:
            return None
        self.frame_number += 1
        return self.file.read(int(length))


def make_rtp(payload, frame_number):
    version, padding, extension, cc, marker, pt, ssrc = 2, 0, 0, 0, 0, 26, 0
    header = struct.pack(
        "!BBHII",
        (version << 6) | (padding << 5) | (extension << 4) | cc,
        (marker << 7) | pt,
        frame_number & 0xFFFF,
        int(time.time()) & 0xFFFFFFFF,
        ssrc,
    )
    return header + payload


class ServerWorker:
    INIT, READY, PLAYING = 0, 1, 2

    def __init__(self, connection, address):
        self.connection = connection
        self.address = address
        self.state = self.INIT
        self.session = 0
        self.rtp_port = 0
        self.stream = None
        self.event = threading.Event()
        self.rtp_socket = None

    def run(self):
        while True:
            try:
                data = self.connection.recv(256)
            except OSError:
                break
            if not data:
                break
            self.process(data.decode("utf-8"))
        self.event.set()

    def process(self, data):
        request = data.split("\n")
        request_type, filename = request[0].split(" ")[0:2]
        seq = request[1].split(" ")
        if request_type == "SETUP" and self.state == self.INIT:
            try:
                self.stream = VideoStream(filename)
                self.state = self.READY
            except IOError:
                print("404 NOT FOUND", file=sys.stderr)
                return
            self.session = randint(100000, 999999)
            self.reply(seq[1])
            self.rtp_port = int(request[2].split(" ")[3])
        elif request_type == "PLAY" and self.state == self.READY:
            self.state = self.PLAYING
            self.rtp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.reply(seq[1])
            self.event = threading.Event()
            threading.Thread(target=self.send_rtp, daemon=True).start()
        elif request_type == "PAUSE" and self.state == self.PLAYING:
            self.state = self.READY
            self.event.set()
            self.reply(seq[1])
        elif request_type == "TEARDOWN":
            self.event.set()
            self.reply(seq[1])
            if self.rtp_socket:
                self.rtp_socket.close()

    def send_rtp(self):
        while True:
            self.event.wait(0.05)
            if self.event.is_set():
                break
            data = self.stream.next_frame()
            if data:
                try:
                    self.rtp_socket.sendto(make_rtp(data, self.stream.frame_number), (self.address[0], self.rtp_port))
                except OSError:
                    print("Connection Error", file=sys.stderr)

    def reply(self, cseq):
        self.connection.send(f"RTSP/1.0 200 OK\nCSeq: {cseq}\nSession: {self.session}".encode())


def main():
    parser = argparse.ArgumentParser(description="The classic lab's RTSP server")
    parser.add_argument("movie", help="lab-format movie, asked for by its file name")
    parser.add_argument("--port", type=int, default=8554)
    args = parser.parse_args()
    directory, name = os.path.split(os.path.abspath(args.movie))
    os.chdir(directory)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("", args.port))
    listener.listen(128)
    print(f"ready rtsp://127.0.0.1:{args.port}/{name}", flush=True)
    try:
        while True:
            connection, address = listener.accept()
            threading.Thread(target=ServerWorker(connection, address).run, daemon=True).start()
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
