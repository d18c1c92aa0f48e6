// Which file a request names, and the guarantee that nothing outside the served root is ever opened.
import { realpath, stat } from "node:fs/promises";
import { basename, join, sep } from "node:path";

/** What `rtsp serve PATH` serves: one file under one name, or every file below a folder. */
export type MovieRoot =
  | { kind: "file"; path: string; name: string }
  | { kind: "folder"; path: string };

export class MoviePathError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** A control URL names a track below the movie (`movie.Mjpeg/track1`); the movie is what we resolve. */
const TRACK_SUFFIX = /\/track\d+$/;

/**
 * The movie name a request URI asks for, relative to the root: a bare name as the lab sends, or the path of an
 * rtsp:// URL, percent-decoded, without a track suffix or trailing slash. Pure; returns errors as values.
 */
export function requestedMovieName(uri: string): string | MoviePathError {
  const url = /^rtsps?:\/\/[^/?#]*(\/[^?#]*)?/i.exec(uri);
  let raw: string;
  if (url) {
    raw = (url[1] ?? "").slice(1);
  } else {
    if (uri.startsWith("/")) return new MoviePathError(404, `absolute path refused: ${uri}`);
    raw = uri.replace(/[?#].*$/, "");
  }
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return new MoviePathError(400, `bad percent-encoding in ${uri}`);
  }
  if (name.includes("\0")) return new MoviePathError(400, "NUL byte in the request path");
  name = name.replace(/\/+$/, "").replace(TRACK_SUFFIX, "").replace(/\/+$/, "");
  if (name === "") return new MoviePathError(404, "no movie named in the request");
  if (name.startsWith("/")) return new MoviePathError(404, `absolute path refused: ${name}`);
  if (name.split("/").some((segment) => segment === ".." || segment === ".")) {
    return new MoviePathError(404, `path outside the served folder refused: ${name}`);
  }
  return name;
}

/** Builds the root from the command line: a file, a folder, or (undefined) the bundled sample as `movie.Mjpeg`. */
export async function movieRootFor(path: string, servedName?: string): Promise<MovieRoot> {
  const info = await stat(path).catch(() => {
    throw new Error(`${path}: no such file or folder`);
  });
  if (info.isDirectory()) return { kind: "folder", path: await realpath(path) };
  if (info.isFile()) return { kind: "file", path, name: servedName ?? basename(path) };
  throw new Error(`${path} is neither a file nor a folder`);
}

/** The file a movie name refers to. Symlinks are resolved, and a target outside a folder root is refused. */
export async function resolveMoviePath(root: MovieRoot, name: string): Promise<string | MoviePathError> {
  if (root.kind === "file") {
    return name === root.name ? root.path : new MoviePathError(404, `no movie named ${name}`);
  }
  let real: string;
  try {
    real = await realpath(join(root.path, name));
  } catch {
    return new MoviePathError(404, `no movie named ${name}`);
  }
  if (!real.startsWith(root.path + sep)) return new MoviePathError(404, `path outside the served folder refused: ${name}`);
  const info = await stat(real).catch(() => undefined);
  if (!info?.isFile()) return new MoviePathError(404, `no movie named ${name}`);
  return real;
}
