// No request opens anything outside the served folder, however the path is spelled, in either dialect.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RawClient } from "../server/harness.ts";
import { serveFolder, type ServedFolder } from "./served-folder.ts";

let served: ServedFolder;
beforeAll(async () => {
  served = await serveFolder();
});
afterAll(async () => {
  await served.close();
});

async function describeStatus(uri: string, lab: boolean): Promise<number> {
  const client = await RawClient.connect(served.server.port);
  try {
    const request = lab ? `DESCRIBE ${uri} RTSP/1.0\nCSeq: 1\n\n` : `DESCRIBE ${uri} RTSP/1.0\r\nCSeq: 1\r\n\r\n`;
    return (await client.request(request)).status;
  } finally {
    client.close();
  }
}

describe("paths cannot leave the served folder", () => {
  const escapes: Array<[string, string]> = [
    ["..", "../secret.Mjpeg"],
    ["a deeper ..", "sub/../../secret.Mjpeg"],
    ["%2e%2e", "%2e%2e/secret.Mjpeg"],
    ["%2E%2e", "%2E%2e/secret.Mjpeg"],
    ["an encoded slash", "..%2fsecret.Mjpeg"],
    ["an encoded ..%2f..", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"],
    ["an absolute path", "/etc/passwd"],
    ["an encoded absolute path", "%2fetc%2fpasswd"],
    ["a symlink pointing out", "escape.Mjpeg"],
    ["a NUL byte", "movie.Mjpeg%00.txt"],
    ["bad percent-encoding", "%zz"],
  ];

  test.each(escapes)("standard URL with %s is refused", async (_name, path) => {
    const status = await describeStatus(`rtsp://127.0.0.1:${served.server.port}/${path}`, false);
    expect([400, 404]).toContain(status);
  });

  test.each(escapes)("lab file name with %s is refused", async (_name, path) => {
    const status = await describeStatus(path, true);
    expect([400, 404]).toContain(status);
  });

  test("a SETUP through an escaping path creates no session", async () => {
    const client = await RawClient.connect(served.server.port);
    const reply = await client.request(`SETUP ../secret.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 40000\n\n`);
    expect(reply.status).toBe(404);
    expect(served.server.sessionCount).toBe(0);
    client.close();
  });

  test("the movies inside are served, with and without a track suffix", async () => {
    expect(await describeStatus(`rtsp://127.0.0.1:${served.server.port}/movie.Mjpeg`, false)).toBe(200);
    expect(await describeStatus(`rtsp://127.0.0.1:${served.server.port}/other.Mjpeg/`, false)).toBe(200);
    expect(await describeStatus("movie.Mjpeg", true)).toBe(200);
  });
});
