import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MoviePathError, movieRootFor, requestedMovieName, resolveMoviePath } from "../../lib/server/movie-path.ts";

describe("requestedMovieName", () => {
  test.each([
    ["movie.Mjpeg", "movie.Mjpeg"],
    ["rtsp://127.0.0.1:8554/movie.Mjpeg", "movie.Mjpeg"],
    ["RTSP://host/movie.Mjpeg/", "movie.Mjpeg"],
    ["rtsp://host:1/movie.Mjpeg/track1", "movie.Mjpeg"],
    ["rtsp://host/sub/clip.mjpeg?x=1", "sub/clip.mjpeg"],
    ["rtsp://host/my%20movie.Mjpeg", "my movie.Mjpeg"],
    ["sub/clip.mjpeg", "sub/clip.mjpeg"],
  ])("%s → %s", (uri, name) => {
    expect(requestedMovieName(uri)).toBe(name);
  });

  test.each([
    ["../secret", 404],
    ["rtsp://host/../secret", 404],
    ["rtsp://host/a/../../secret", 404],
    ["rtsp://host/%2e%2e/secret", 404],
    ["rtsp://host/%2E%2E%2Fsecret", 404],
    ["/etc/passwd", 404],
    ["rtsp://host//etc/passwd", 404],
    ["rtsp://host/movie%00.Mjpeg", 400],
    ["rtsp://host/bad%zzescape", 400],
    ["rtsp://host", 404],
    ["rtsp://host/", 404],
    ["", 404],
  ])("%p is refused with %d", (uri, status) => {
    const result = requestedMovieName(uri);
    expect(result).toBeInstanceOf(MoviePathError);
    expect((result as MoviePathError).status).toBe(status as 400 | 404);
  });
});

describe("resolveMoviePath", () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "rtsp-paths-"));
    await mkdir(join(base, "root", "sub"), { recursive: true });
    await writeFile(join(base, "root", "movie.Mjpeg"), "x");
    await writeFile(join(base, "root", "sub", "clip.mjpeg"), "x");
    await writeFile(join(base, "secret.Mjpeg"), "x");
    await symlink(join(base, "secret.Mjpeg"), join(base, "root", "escape.Mjpeg"));
    await symlink(join(base, "root", "movie.Mjpeg"), join(base, "root", "alias.Mjpeg"));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  test("a folder root serves files below it, following symlinks that stay inside", async () => {
    const root = await movieRootFor(join(base, "root"));
    expect(await resolveMoviePath(root, "movie.Mjpeg")).toBe(join(base, "root", "movie.Mjpeg"));
    expect(await resolveMoviePath(root, "sub/clip.mjpeg")).toBe(join(base, "root", "sub", "clip.mjpeg"));
    expect(await resolveMoviePath(root, "alias.Mjpeg")).toBe(join(base, "root", "movie.Mjpeg"));
  });

  test.each(["escape.Mjpeg", "missing.Mjpeg", "sub", "../secret.Mjpeg"])("a folder root refuses %p", async (name) => {
    const root = await movieRootFor(join(base, "root"));
    const result = await resolveMoviePath(root, name);
    expect(result).toBeInstanceOf(MoviePathError);
    expect((result as MoviePathError).status).toBe(404);
  });

  test("a file root serves that file under its own name only", async () => {
    const root = await movieRootFor(join(base, "root", "sub", "clip.mjpeg"));
    expect(await resolveMoviePath(root, "clip.mjpeg")).toBe(join(base, "root", "sub", "clip.mjpeg"));
    expect(await resolveMoviePath(root, "movie.Mjpeg")).toBeInstanceOf(MoviePathError);
    expect(await resolveMoviePath(root, "sub/clip.mjpeg")).toBeInstanceOf(MoviePathError);
  });

  test("a file root can be served under another name (the bundled sample)", async () => {
    const root = await movieRootFor(join(base, "secret.Mjpeg"), "movie.Mjpeg");
    expect(await resolveMoviePath(root, "movie.Mjpeg")).toBe(join(base, "secret.Mjpeg"));
    expect(await resolveMoviePath(root, "secret.Mjpeg")).toBeInstanceOf(MoviePathError);
  });
});
