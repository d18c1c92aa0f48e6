// A server on a folder of two short movies, with a secret file beside the folder and a symlink pointing at it, so that
// path escapes have something to find.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import type { RtspServer, ServerOptions } from "../../lib/server/server.ts";
import { startQuietServer } from "../server/harness.ts";

export interface ServedFolder {
  server: RtspServer;
  /** The folder served; `movie.Mjpeg` and `other.Mjpeg` are in it, `escape.Mjpeg` links to ../secret.Mjpeg. */
  folder: string;
  url(name?: string): string;
  close(): Promise<void>;
}

export async function serveFolder(options: Partial<ServerOptions> = {}, frames = 20): Promise<ServedFolder> {
  const base = await mkdtemp(join(tmpdir(), "rtsp-hardening-"));
  const folder = join(base, "served");
  await mkdir(folder);
  const movie = makeSampleMovie({ frames, width: 64, height: 48 });
  await writeFile(join(folder, "movie.Mjpeg"), movie);
  await writeFile(join(folder, "other.Mjpeg"), makeSampleMovie({ frames: 5, width: 32, height: 32 }));
  await writeFile(join(base, "secret.Mjpeg"), movie);
  await symlink(join(base, "secret.Mjpeg"), join(folder, "escape.Mjpeg"));
  const server = await startQuietServer(folder, options);
  return {
    server,
    folder,
    url: (name = "movie.Mjpeg") => `rtsp://127.0.0.1:${server.port}/${name}`,
    async close() {
      await server.stop();
      await rm(base, { recursive: true, force: true });
    },
  };
}
