// `rtsp serve [PATH]`: serve a movie file or a folder of movies (no PATH = the bundled sample) to lab clients and
// standard RTSP players on one port.
import { defineCommand } from "citty";
import { readdir } from "node:fs/promises";
import { parseInteger, parsePort, parsePositiveNumber, UsageError, verboseArg } from "../lib/cli/arguments.ts";
import { ServerStartError, startServer, type RtspServer, type ServerOptions } from "../lib/server/server.ts";

const MAX_LISTED_MOVIES = 10;

/** The URLs to print: the served file, or the first few files of a folder. */
async function playableUrls(server: RtspServer, host: string): Promise<string[]> {
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const base = `rtsp://${shownHost}:${server.port}/`;
  if (server.root.kind === "file") return [base + encodeURIComponent(server.root.name)];
  const entries = await readdir(server.root.path, { withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && !entry.name.startsWith(".")).map((entry) => entry.name).sort();
  const urls = files.slice(0, MAX_LISTED_MOVIES).map((name) => base + encodeURIComponent(name));
  return files.length > MAX_LISTED_MOVIES ? [...urls, `… and ${files.length - MAX_LISTED_MOVIES} more in ${server.root.path}`] : urls;
}

export default defineCommand({
  meta: { name: "serve", description: "Serve a movie (or a folder of movies) over RTSP/RTP, lab dialect and standard" },
  args: {
    path: { type: "positional", required: false, description: "A movie file or a folder of movies (default: the bundled sample)" },
    port: { type: "string", default: "8554", description: "RTSP port (0 = any free port)" },
    host: { type: "string", default: "0.0.0.0", description: "Address to listen on" },
    fps: { type: "string", default: "20", description: "Frames per second" },
    "max-packet": { type: "string", default: "1400", description: "Largest RTP packet on the standard path, bytes" },
    "session-timeout": { type: "string", default: "60", description: "Seconds without RTSP or RTCP before a standard session ends" },
    ...verboseArg,
  },
  async run({ args }) {
    let options: ServerOptions;
    try {
      options = {
        root: args.path || undefined,
        port: parsePort("port", args.port, { allowZero: true }),
        host: args.host,
        fps: parsePositiveNumber("fps", args.fps),
        maxPacket: parseInteger("max-packet", args["max-packet"], 128, 65_535),
        sessionTimeout: parseInteger("session-timeout", args["session-timeout"], 1, 86_400),
        verbose: Boolean(args.verbose),
      };
    } catch (error) {
      if (error instanceof UsageError) {
        console.error(`rtsp serve: ${error.message}`);
        process.exit(2);
      }
      throw error;
    }

    let server: RtspServer;
    try {
      server = await startServer(options);
    } catch (error) {
      const message = error instanceof ServerStartError ? error.message : error instanceof Error ? error.message : String(error);
      console.error(`rtsp serve: ${message}`);
      process.exit(1);
    }

    // The URLs are the command's output proper (scripts read them), so they go to stdout whatever consola's level.
    const urls = await playableUrls(server, options.host);
    console.log(`Serving on port ${server.port} at ${options.fps} fps. Play:`);
    for (const url of urls) console.log(`  ${url}`);

    const shutdown = async () => {
      await server.stop();
      process.exit(0);
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  },
});
