// `rtsp serve [PATH]`: serve a movie file or a folder of movies (no PATH = the bundled sample) to lab clients and
// standard RTSP players on one port.
import { defineCommand } from "citty";
import { readdir, readFile } from "node:fs/promises";
import { parseInteger, parsePort, parsePositiveNumber, UsageError, verboseArg } from "../lib/cli/arguments.ts";
import { parseUserList } from "../lib/server/authenticator.ts";
import { DEFAULT_LIMITS } from "../lib/server/limits.ts";
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

/** Every value of a repeatable flag: citty keeps only the last one in `args`. */
function repeatedFlag(rawArgs: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    if (rawArgs[i] === "--") break;
    if (rawArgs[i] === `--${name}` && i + 1 < rawArgs.length) values.push(rawArgs[++i]);
    else if (rawArgs[i].startsWith(`--${name}=`)) values.push(rawArgs[i].slice(name.length + 3));
  }
  return values;
}

/** The users of `--auth user:pass` (repeatable) and `--auth-file FILE`; undefined when neither is given. */
async function authOptions(entries: string[], file: string | undefined, allowBasic: boolean): Promise<ServerOptions["auth"]> {
  if (entries.length === 0 && file === undefined) {
    if (allowBasic) throw new UsageError("--auth-basic needs --auth or --auth-file");
    return undefined;
  }
  let users: Map<string, string>;
  try {
    users = parseUserList(entries, "--auth");
    if (file !== undefined) {
      const text = await readFile(file, "utf8").catch(() => {
        throw new Error(`--auth-file ${file}: cannot read it`);
      });
      for (const [user, password] of parseUserList(text.split(/\r?\n/), `--auth-file ${file}`)) users.set(user, password);
    }
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (users.size === 0) throw new UsageError("--auth-file names no users");
  return { users, allowBasic };
}

export default defineCommand({
  meta: { name: "serve", description: "Serve a movie (or a folder of movies) over RTSP/RTP, lab dialect and standard" },
  args: {
    path: { type: "positional", required: false, description: "A movie file or a folder of movies (default: the bundled sample)" },
    port: { type: "string", default: "8554", description: "RTSP port (0 = any free port)" },
    host: { type: "string", default: "0.0.0.0", description: "Address to listen on" },
    fps: { type: "string", default: "20", description: "Frames per second" },
    "max-packet": { type: "string", default: "1400", description: "Largest RTP packet on the standard path, bytes" },
    gso: {
      type: "boolean",
      default: true,
      description: "Send each frame's RTP packets in one UDP GSO system call where Linux offers it (less kernel time per frame)",
      negativeDescription: "Send them with sendmmsg, one datagram at a time through the kernel",
    },
    "session-timeout": { type: "string", default: "60", description: "Seconds without RTSP or RTCP before a standard session ends" },
    "max-sessions": { type: "string", default: String(DEFAULT_LIMITS.maxSessions), description: "Sessions at once; SETUP beyond is answered 503" },
    "max-connections": {
      type: "string",
      default: String(DEFAULT_LIMITS.maxConnections),
      description: "RTSP connections at once; one more is answered 503 and closed",
    },
    "max-request-rate": {
      type: "string",
      default: String(DEFAULT_LIMITS.requestsPerSecond),
      description: "Requests per connection per second; the excess is answered 503",
    },
    "idle-timeout": {
      type: "string",
      default: String(DEFAULT_LIMITS.idleTimeout),
      description: "Seconds a connection without a session may stay silent",
    },
    auth: { type: "string", description: "user:password allowed to play (repeatable); Digest authentication" },
    "auth-file": { type: "string", description: "File of user:password lines allowed to play" },
    "auth-basic": { type: "boolean", default: false, description: "Also accept Basic authentication (sends the password in clear)" },
    ...verboseArg,
  },
  async run({ args, rawArgs }) {
    let options: ServerOptions;
    try {
      options = {
        root: args.path || undefined,
        port: parsePort("port", args.port, { allowZero: true }),
        host: args.host,
        fps: parsePositiveNumber("fps", args.fps),
        maxPacket: parseInteger("max-packet", args["max-packet"], 128, 65_535),
        gso: args.gso,
        sessionTimeout: parseInteger("session-timeout", args["session-timeout"], 1, 86_400),
        verbose: Boolean(args.verbose),
        limits: {
          maxSessions: parseInteger("max-sessions", args["max-sessions"], 1, 1_000_000),
          maxConnections: parseInteger("max-connections", args["max-connections"], 1, 1_000_000),
          requestsPerSecond: parseInteger("max-request-rate", args["max-request-rate"], 1, 1_000_000),
          idleTimeout: parseInteger("idle-timeout", args["idle-timeout"], 1, 86_400),
        },
        auth: await authOptions(repeatedFlag(rawArgs, "auth"), args["auth-file"], Boolean(args["auth-basic"])),
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
