#!/usr/bin/env bun
// The `rtsp` binary: one root command, sub-commands loaded lazily so `rtsp play` never pays for the server.
import { defineCommand, runMain } from "citty";
import packageJson from "../package.json" with { type: "json" };

const main = defineCommand({
  meta: {
    name: "rtsp",
    version: packageJson.version,
    description: "RTSP/RTP MJPEG streaming toolkit: serve a movie, play a stream, measure pacing",
  },
  subCommands: {
    serve: () => import("./serve.ts").then((m) => m.default),
    play: () => import("./play.ts").then((m) => m.default),
    bench: () => import("./bench.ts").then((m) => m.default),
    media: () => import("./media.ts").then((m) => m.default),
  },
});

runMain(main);
