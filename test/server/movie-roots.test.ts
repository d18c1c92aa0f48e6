// What a server serves: the bundled sample by default, every file below a folder, and a clear error for a file
// that is not a movie.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { consola } from "consola";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeSampleMovie } from "../../lib/media/sample.ts";
import { startServer, type RtspServer } from "../../lib/server/server.ts";
import { RawClient } from "./harness.ts";

const defaults = { port: 0, host: "127.0.0.1", fps: 20, maxPacket: 1400, sessionTimeout: 60, verbose: false };

async function describeStatus(server: RtspServer, path: string): Promise<{ status: number; body: string }> {
  const client = await RawClient.connect(server.port);
  try {
    const reply = await client.request(`DESCRIBE rtsp://127.0.0.1:${server.port}/${path} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
    return { status: reply.status, body: reply.body };
  } finally {
    client.close();
  }
}

describe("served roots", () => {
  let folder: string;
  beforeAll(async () => {
    consola.level = -999;
    folder = await mkdtemp(join(tmpdir(), "rtsp-roots-"));
    await mkdir(join(folder, "sub"));
    await writeFile(join(folder, "sub", "clip.Mjpeg"), makeSampleMovie({ frames: 3, width: 32, height: 32 }));
    await writeFile(join(folder, "broken.Mjpeg"), "this is not a movie");
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  test("no PATH serves the bundled sample as movie.Mjpeg", async () => {
    const server = await startServer(defaults);
    try {
      expect(server.root).toMatchObject({ kind: "file", name: "movie.Mjpeg" });
      expect((await describeStatus(server, "movie.Mjpeg")).status).toBe(200);
      expect((await describeStatus(server, "other.Mjpeg")).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  test("a folder serves the files below it, percent-encoded names included", async () => {
    const server = await startServer({ ...defaults, root: folder });
    try {
      expect((await describeStatus(server, "sub/clip.Mjpeg")).status).toBe(200);
      expect((await describeStatus(server, "sub%2Fclip.Mjpeg")).status).toBe(200);
      expect((await describeStatus(server, "sub")).status).toBe(404);
      expect((await describeStatus(server, "sub/../../etc/passwd")).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  test("a file that is not a movie is refused with 415 and a message naming it", async () => {
    const server = await startServer({ ...defaults, root: folder });
    try {
      const { status, body } = await describeStatus(server, "broken.Mjpeg");
      expect(status).toBe(415);
      expect(body).toContain("broken.Mjpeg");
    } finally {
      await server.stop();
    }
  });
});
