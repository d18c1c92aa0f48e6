#!/usr/bin/python3
"""Reference RTSP server over GStreamer's GstRtspServer, for interop tests and `rtsp bench` comparisons.

Usage (run with Debian's /usr/bin/python3, which has the GStreamer bindings):

    /usr/bin/python3 test/peers/gst-rtsp-server.py --port 8560 --path /movie.Mjpeg media/movie.Mjpeg
    /usr/bin/python3 test/peers/gst-rtsp-server.py --port 8560 --path /test --testsrc

  MOVIE        a lab-format movie (each frame: 5 ASCII digits of length, then the JPEG); its frames must be
               RFC 2435 transportable (baseline 4:2:0 or 4:2:2). Served at a true 20 fps (pts = n x 50 ms),
               looping at the end, one shared pipeline for every client.
  --testsrc    serve videotestsrc 384x288 I420 at 20 fps, JPEG-encoded live, instead of a movie.
  --port N     RTSP port (default 8554).
  --path P     mount path (default /movie.Mjpeg).

Once listening it prints one line to stdout and flushes it:

    ready rtsp://127.0.0.1:<port><path>

It runs until SIGINT or SIGTERM.
"""

import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

FPS = 20
FRAME_NS = Gst.SECOND // FPS

TESTSRC_PIPELINE = (
    "( videotestsrc is-live=true ! video/x-raw,format=I420,width=384,height=288,framerate=20/1 "
    "! jpegenc ! rtpjpegpay name=pay0 pt=26 )"
)
# jpegparse gives rtpjpegpay the width/height it needs; the appsrc's timestamps set the pace.
MOVIE_PIPELINE = (
    "( appsrc name=frames is-live=true format=time caps=image/jpeg,framerate=20/1 "
    "! jpegparse ! rtpjpegpay name=pay0 pt=26 )"
)


def read_lab_movie(path):
    """Frames of a lab-format movie: repeated (5 ASCII digits = length, JPEG bytes)."""
    with open(path, "rb") as movie:
        data = movie.read()
    frames = []
    at = 0
    while at < len(data):
        header = data[at : at + 5]
        if len(header) < 5 or not header.isdigit():
            raise ValueError(f"{path}: frame {len(frames) + 1} has no 5-digit length at byte {at}")
        length = int(header)
        frames.append(data[at + 5 : at + 5 + length])
        at += 5 + length
    if not frames:
        raise ValueError(f"{path}: no frames")
    return frames


class MovieFeeder:
    """Pushes the movie's frames into a media's appsrc, stamping frame n with pts n x 50 ms.

    The shared media is rebuilt after the last client leaves, with a pipeline whose clock starts again at 0,
    so every new media gets its own count from frame 0.
    """

    def __init__(self, frames):
        self.frames = frames

    def on_media_configure(self, _factory, media):
        pushed = [0]

        def on_need_data(source, _length):
            n = pushed[0]
            buffer = Gst.Buffer.new_wrapped(self.frames[n % len(self.frames)])
            buffer.pts = n * FRAME_NS
            buffer.duration = FRAME_NS
            pushed[0] = n + 1
            source.emit("push-buffer", buffer)

        media.get_element().get_by_name("frames").connect("need-data", on_need_data)


def main():
    parser = argparse.ArgumentParser(description="GstRtspServer reference peer")
    parser.add_argument("movie", nargs="?", help="lab-format movie to serve")
    parser.add_argument("--testsrc", action="store_true", help="serve videotestsrc instead of a movie")
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--path", default="/movie.Mjpeg")
    args = parser.parse_args()
    if bool(args.movie) == args.testsrc:
        parser.error("give either a MOVIE or --testsrc")

    Gst.init(None)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_shared(True)
    if args.testsrc:
        factory.set_launch(TESTSRC_PIPELINE)
    else:
        feeder = MovieFeeder(read_lab_movie(args.movie))
        factory.set_launch(MOVIE_PIPELINE)
        factory.connect("media-configure", feeder.on_media_configure)

    server = GstRtspServer.RTSPServer()
    server.set_service(str(args.port))
    server.get_mount_points().add_factory(args.path, factory)
    if server.attach(None) == 0:
        print(f"cannot listen on port {args.port}", file=sys.stderr)
        return 1

    loop = GLib.MainLoop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signum, loop.quit)
    print(f"ready rtsp://127.0.0.1:{args.port}{args.path}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
