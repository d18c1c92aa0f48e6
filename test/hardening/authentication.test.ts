// --auth end to end (ffprobe and `rtsp play` with credentials in the URL) and the authenticator's rules on a fake clock.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RequestAuthorizer } from "../../lib/client/request-authorizer.ts";
import { answerDigestChallenge, parseWwwAuthenticate, serializeAuthorization, type DigestChallenge } from "../../lib/rtsp/auth.ts";
import { Authenticator } from "../../lib/server/authenticator.ts";
import { RawClient } from "../server/harness.ts";
import { serveFolder, type ServedFolder } from "./served-folder.ts";

const USERS = new Map([
  ["alice", "wonder land"],
  ["bob", "p@ss:word"],
]);
const REPO = join(import.meta.dir, "../..");

// Every test below that sends a wrong password counts a failure against 127.0.0.1: they stay under the cool-down's 5.
let served: ServedFolder;
beforeAll(async () => {
  served = await serveFolder({ auth: { users: USERS, allowBasic: false } });
});
afterAll(async () => {
  await served.close();
});

async function run(command: string[]): Promise<{ code: number; stderr: string }> {
  const child = Bun.spawn(command, { cwd: REPO, stdout: "ignore", stderr: "pipe" });
  const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  return { code, stderr };
}

const withUser = (user: string, password: string) =>
  `rtsp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${served.server.port}/movie.Mjpeg`;

describe("ffprobe with credentials in the URL", () => {
  test.each(["tcp", "udp"])("the right password over %s succeeds", async (transport) => {
    const result = await run(["ffprobe", "-v", "error", "-rtsp_transport", transport, withUser("alice", "wonder land")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  }, 20_000);

  test("a wrong password fails with 401", async () => {
    const result = await run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp", withUser("alice", "wrong")]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("401");
  }, 20_000);

  test("no credentials fails with 401", async () => {
    const result = await run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp", served.url()]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("401");
  }, 20_000);
});

describe("rtsp play with credentials in the URL", () => {
  test.each(["tcp", "udp"])("plays every frame over %s; the report holds no password", async (transport) => {
    const folder = await mkdtemp(join(tmpdir(), "rtsp-auth-play-"));
    const report = join(folder, "report.json");
    try {
      // --dialect rtsp: the auto probe waits 1 s for OPTIONS, which a loaded machine can miss (then the lab is tried).
      const result = await run(["bun", "cmd/rtsp.ts", "play", "--ui", "none", "--dialect", "rtsp", "--transport", transport, "--report", report, withUser("bob", "p@ss:word")]);
      expect(result).toEqual({ code: 0, stderr: "" }); // on failure, stderr says why
      const parsed = JSON.parse(await readFile(report, "utf8"));
      expect(parsed.framesReceived).toBe(20);
      expect(parsed.url).toBe(served.url());
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 20_000);

  test("a wrong password exits 1 with a one-line reason", async () => {
    const result = await run(["bun", "cmd/rtsp.ts", "play", "--ui", "none", "--dialect", "rtsp", withUser("bob", "nope")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("401");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  }, 20_000);
});

describe("what needs credentials", () => {
  test("OPTIONS is answered without credentials; DESCRIBE gets a Digest challenge only", async () => {
    const client = await RawClient.connect(served.server.port);
    expect((await client.request(`OPTIONS ${served.url()} RTSP/1.0\r\nCSeq: 1\r\n\r\n`)).status).toBe(200);
    const reply = await client.request(`DESCRIBE ${served.url()} RTSP/1.0\r\nCSeq: 2\r\n\r\n`);
    expect(reply.status).toBe(401);
    expect(reply.header("WWW-Authenticate")).toStartWith("Digest ");
    expect(reply.text).not.toContain("Basic");
    client.close();
  });

  test("lab requests get 401 too (the lab client cannot authenticate)", async () => {
    const client = await RawClient.connect(served.server.port);
    const reply = await client.request(`SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 40000\n\n`);
    expect(reply.status).toBe(401);
    expect(served.server.sessionCount).toBe(0);
    client.close();
  });

  test("Basic credentials are refused unless --auth-basic", async () => {
    const client = await RawClient.connect(served.server.port);
    const basic = serializeAuthorization({ scheme: "Basic", username: "alice", password: "wonder land" });
    const reply = await client.request(`DESCRIBE ${served.url()} RTSP/1.0\r\nCSeq: 1\r\nAuthorization: ${basic}\r\n\r\n`);
    expect(reply.status).toBe(401);
    client.close();
  });

  test("a Digest answer is bound to its request URI", async () => {
    const client = await RawClient.connect(served.server.port);
    const first = await client.request(`DESCRIBE ${served.url()} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
    const challenge = parseWwwAuthenticate(first.header("WWW-Authenticate")!) as DigestChallenge;
    const answer = (uri: string) =>
      serializeAuthorization(answerDigestChallenge(challenge, { username: "alice", password: "wonder land", method: "DESCRIBE", uri }));
    const replayed = await client.request(`DESCRIBE ${served.url("other.Mjpeg")} RTSP/1.0\r\nCSeq: 2\r\nAuthorization: ${answer(served.url())}\r\n\r\n`);
    expect(replayed.status).toBe(401);
    const right = await client.request(`DESCRIBE ${served.url()} RTSP/1.0\r\nCSeq: 3\r\nAuthorization: ${answer(served.url())}\r\n\r\n`);
    expect(right.status).toBe(200);
    client.close();
  });
});

describe("the authenticator on a fake clock", () => {
  const uri = "rtsp://h/movie.Mjpeg";
  function setup(allowBasic = false) {
    const clock = { now: 1_000_000 };
    const authenticator = new Authenticator({ users: USERS, allowBasic, now: () => clock.now });
    const challenge = (decision: ReturnType<Authenticator["check"]>) => {
      if (decision.ok) throw new Error("expected a refusal");
      return parseWwwAuthenticate(decision.challenges[0]) as DigestChallenge;
    };
    const answer = (from: DigestChallenge, password = "wonder land") =>
      serializeAuthorization(answerDigestChallenge(from, { username: "alice", password, method: "PLAY", uri }));
    return { clock, authenticator, challenge, answer };
  }

  test("nonces are fresh for every challenge and expire after 5 minutes with stale=true", () => {
    const { clock, authenticator, challenge, answer } = setup();
    const first = challenge(authenticator.check({ method: "PLAY", uri }, "a"));
    clock.now += 1;
    const second = challenge(authenticator.check({ method: "PLAY", uri }, "a"));
    expect(second.nonce).not.toBe(first.nonce);
    expect(authenticator.check({ method: "PLAY", uri, authorization: answer(first) }, "a").ok).toBe(true);
    clock.now += 5 * 60_000 + 1;
    const expired = authenticator.check({ method: "PLAY", uri, authorization: answer(first) }, "a");
    expect(challenge(expired).stale).toBe(true);
    expect(authenticator.check({ method: "PLAY", uri, authorization: answer(challenge(expired)) }, "a").ok).toBe(true);
  });

  test("a forged nonce is refused without stale", () => {
    const { authenticator, challenge, answer } = setup();
    const real = challenge(authenticator.check({ method: "PLAY", uri }, "a"));
    const flipped = real.nonce.endsWith("0") ? "1" : "0";
    const forged = { ...real, nonce: real.nonce.slice(0, -1) + flipped };
    const decision = authenticator.check({ method: "PLAY", uri, authorization: answer(forged) }, "a");
    expect(decision.ok).toBe(false);
    expect(challenge(decision).stale).toBeUndefined();
  });

  test("after 5 failures in 10 s an address gets 401 even with the right password, until the window passes", () => {
    const { clock, authenticator, challenge, answer } = setup();
    const nonce = challenge(authenticator.check({ method: "PLAY", uri }, "a"));
    for (let i = 0; i < 5; i++) expect(authenticator.check({ method: "PLAY", uri, authorization: answer(nonce, "bad") }, "a").ok).toBe(false);
    const cooling = authenticator.check({ method: "PLAY", uri, authorization: answer(nonce) }, "a");
    expect(cooling.ok).toBe(false);
    expect(authenticator.check({ method: "PLAY", uri, authorization: answer(nonce) }, "b").ok).toBe(true);
    clock.now += 10_001;
    expect(authenticator.check({ method: "PLAY", uri, authorization: answer(nonce) }, "a").ok).toBe(true);
  });

  test("Basic works only when allowed, and both challenges are offered then", () => {
    const { authenticator } = setup(true);
    const refused = authenticator.check({ method: "PLAY", uri }, "a");
    expect(refused.ok ? [] : refused.challenges.map((value) => value.split(" ")[0])).toEqual(["Digest", "Basic"]);
    const basic = serializeAuthorization({ scheme: "Basic", username: "bob", password: "p@ss:word" });
    expect(authenticator.check({ method: "PLAY", uri, authorization: basic }, "a").ok).toBe(true);
  });
});

describe("the client's authorizer", () => {
  test("answers Basic when that is all the server offers, and gives up on a second plain 401", () => {
    const authorizer = new RequestAuthorizer({ username: "bob", password: "p@ss:word" });
    expect(authorizer.authorization("DESCRIBE", "rtsp://h/m")).toBeUndefined();
    expect(authorizer.accept([["WWW-Authenticate", 'Basic realm="r"']])).toBe(true);
    expect(authorizer.authorization("DESCRIBE", "rtsp://h/m")).toBe(`Basic ${btoa("bob:p@ss:word")}`);
    expect(authorizer.accept([["WWW-Authenticate", 'Basic realm="r"']])).toBe(false);
  });

  test("prefers Digest, and answers a stale nonce once more with the new one", () => {
    const authorizer = new RequestAuthorizer({ username: "bob", password: "x" });
    const headers = (nonce: string, stale = false): [string, string][] => [
      ["WWW-Authenticate", 'Basic realm="r"'],
      ["WWW-Authenticate", `Digest realm="r", nonce="${nonce}"${stale ? ", stale=TRUE" : ""}`],
    ];
    expect(authorizer.accept(headers("n1"))).toBe(true);
    expect(authorizer.authorization("PLAY", "rtsp://h/m")).toContain('nonce="n1"');
    expect(authorizer.accept(headers("n2"))).toBe(false);
    expect(authorizer.accept(headers("n3", true))).toBe(true);
    expect(authorizer.authorization("PLAY", "rtsp://h/m")).toContain('nonce="n3"');
  });
});
