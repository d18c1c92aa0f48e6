import { describe, expect, test } from "bun:test";
import {
  answerDigestChallenge,
  AuthHeaderError,
  computeDigestResponse,
  parseAuthorization,
  parseWwwAuthenticate,
  serializeAuthorization,
  serializeWwwAuthenticate,
  verifyBasic,
  verifyDigest,
  type AuthChallenge,
  type Credentials,
  type DigestCredentials,
} from "../../lib/rtsp/auth.ts";

// RFC 2617 §3.5.
const RFC2617 = {
  username: "Mufasa",
  password: "Circle Of Life",
  realm: "testrealm@host.com",
  nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
  method: "GET",
  uri: "/dir/index.html",
  qop: "auth",
  nc: "00000001",
  cnonce: "0a4f113b",
};

const CHALLENGES: Array<[wire: string, parsed: AuthChallenge, normalized: string]> = [
  [
    'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    {
      scheme: "Digest",
      realm: "testrealm@host.com",
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      opaque: "5ccc069c403ebaf9f0171e9517f40e41",
      qop: ["auth", "auth-int"],
    },
    'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41", qop="auth,auth-int"',
  ],
  [
    // GStreamer's rtsp-server: no qop.
    'Digest realm="GStreamer RTSP Server", nonce="3d5e9dc1a9f7b2f0"',
    { scheme: "Digest", realm: "GStreamer RTSP Server", nonce: "3d5e9dc1a9f7b2f0" },
    'Digest realm="GStreamer RTSP Server", nonce="3d5e9dc1a9f7b2f0"',
  ],
  [
    'digest REALM="a \\"quoted\\" realm",nonce=abc, algorithm=MD5-sess, stale=true',
    { scheme: "Digest", realm: 'a "quoted" realm', nonce: "abc", algorithm: "MD5-sess", stale: true },
    'Digest realm="a \\"quoted\\" realm", nonce="abc", algorithm=MD5-sess, stale=TRUE',
  ],
  ['Basic realm="rtsp"', { scheme: "Basic", realm: "rtsp" }, 'Basic realm="rtsp"'],
];

const AUTHORIZATIONS: Array<[wire: string, parsed: Credentials, normalized: string]> = [
  [
    'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    {
      scheme: "Digest",
      username: "Mufasa",
      realm: "testrealm@host.com",
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      uri: "/dir/index.html",
      response: "6629fae49393a05397450978507c4ef1",
      opaque: "5ccc069c403ebaf9f0171e9517f40e41",
      qop: "auth",
      nc: "00000001",
      cnonce: "0a4f113b",
    },
    'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, nc=00000001, cnonce="0a4f113b"',
  ],
  [
    // ffmpeg quotes algorithm and qop.
    'Digest username="user", realm="r", nonce="n", uri="rtsp://127.0.0.1:8554/movie", response="0123456789ABCDEF0123456789abcdef", algorithm="MD5", qop="auth", cnonce="c", nc=00000002',
    {
      scheme: "Digest",
      username: "user",
      realm: "r",
      nonce: "n",
      uri: "rtsp://127.0.0.1:8554/movie",
      response: "0123456789abcdef0123456789abcdef",
      algorithm: "MD5",
      qop: "auth",
      nc: "00000002",
      cnonce: "c",
    },
    'Digest username="user", realm="r", nonce="n", uri="rtsp://127.0.0.1:8554/movie", response="0123456789abcdef0123456789abcdef", algorithm=MD5, qop=auth, nc=00000002, cnonce="c"',
  ],
  [
    "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    { scheme: "Basic", username: "Aladdin", password: "open sesame" },
    "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
  ],
  ["Basic dXNlcjpwYTpzcw==", { scheme: "Basic", username: "user", password: "pa:ss" }, "Basic dXNlcjpwYTpzcw=="],
];

describe("WWW-Authenticate", () => {
  for (const [wire, parsed, normalized] of CHALLENGES) {
    test(`parses ${wire}`, () => {
      expect(parseWwwAuthenticate(wire)).toEqual(parsed);
      expect(serializeWwwAuthenticate(parsed)).toBe(normalized);
      expect(parseWwwAuthenticate(normalized)).toEqual(parsed);
    });
  }
  for (const wire of ["", "Digest", 'Digest nonce="n"', 'Digest realm="r"', 'Bearer realm="r"', 'Digest realm="r', "Digest realm"]) {
    test(`rejects ${JSON.stringify(wire)}`, () => {
      expect(() => parseWwwAuthenticate(wire)).toThrow(AuthHeaderError);
    });
  }
});

describe("Authorization", () => {
  for (const [wire, parsed, normalized] of AUTHORIZATIONS) {
    test(`parses ${wire}`, () => {
      expect(parseAuthorization(wire)).toEqual(parsed);
      expect(serializeAuthorization(parsed)).toBe(normalized);
      expect(parseAuthorization(normalized)).toEqual(parsed);
    });
  }
  const invalid = [
    "Basic",
    "Basic !!!",
    "Basic dXNlcg==",
    'Digest username="u", realm="r", nonce="n", uri="/"',
    'Digest username="u", realm="r", nonce="n", uri="/", response="x", qop=auth',
    "Negotiate abc",
  ];
  for (const wire of invalid) {
    test(`rejects ${JSON.stringify(wire)}`, () => {
      expect(() => parseAuthorization(wire)).toThrow(AuthHeaderError);
    });
  }
});

describe("Digest computation", () => {
  test("RFC 2617's worked example", () => {
    expect(computeDigestResponse(RFC2617)).toBe("6629fae49393a05397450978507c4ef1");
  });

  test("without qop (RFC 2069, as GStreamer answers) and with MD5-sess", () => {
    const { qop, nc, cnonce, ...withoutQop } = RFC2617;
    const ha1 = md5(`${RFC2617.username}:${RFC2617.realm}:${RFC2617.password}`);
    const ha2 = md5(`GET:${RFC2617.uri}`);
    expect(computeDigestResponse(withoutQop)).toBe(md5(`${ha1}:${RFC2617.nonce}:${ha2}`));
    const sessionKey = md5(`${ha1}:${RFC2617.nonce}:${cnonce}`);
    expect(computeDigestResponse({ ...RFC2617, algorithm: "MD5-sess" })).toBe(
      md5(`${sessionKey}:${RFC2617.nonce}:${nc}:${cnonce}:${qop}:${ha2}`),
    );
  });

  test("refuses what it cannot compute", () => {
    expect(() => computeDigestResponse({ ...RFC2617, algorithm: "SHA-256" })).toThrow(AuthHeaderError);
    expect(() => computeDigestResponse({ ...RFC2617, qop: "auth-int" })).toThrow(AuthHeaderError);
    expect(() => computeDigestResponse({ ...RFC2617, cnonce: undefined })).toThrow(AuthHeaderError);
  });

  test("a client answer to a qop challenge verifies on the server; a wrong password does not", () => {
    const challenge = parseWwwAuthenticate(serializeWwwAuthenticate({ scheme: "Digest", realm: "rtsp", nonce: "abc123", qop: ["auth"] }));
    if (challenge.scheme !== "Digest") throw new Error("expected a Digest challenge");
    const credentials = answerDigestChallenge(challenge, {
      username: "user",
      password: "secret",
      method: "DESCRIBE",
      uri: "rtsp://127.0.0.1/movie",
      cnonce: "f00d",
      nc: 3,
    });
    expect(credentials).toMatchObject({ qop: "auth", nc: "00000003", cnonce: "f00d" });
    const received = parseAuthorization(serializeAuthorization(credentials)) as DigestCredentials;
    const expected = { password: "secret", method: "DESCRIBE", realm: "rtsp", nonce: "abc123" };
    expect(verifyDigest(received, expected)).toBe(true);
    expect(verifyDigest(received, { ...expected, password: "Secret" })).toBe(false);
    expect(verifyDigest(received, { ...expected, method: "PLAY" })).toBe(false);
    expect(verifyDigest(received, { ...expected, nonce: "other" })).toBe(false);
    expect(verifyDigest({ ...received, response: "0".repeat(32) }, expected)).toBe(false);
    expect(verifyDigest({ ...received, algorithm: "SHA-256" }, expected)).toBe(false);
  });

  // Captured from real peers challenged with `Digest realm="rtsp", nonce="abc123"` (+ `qop="auth"`), password "secret".
  const CAPTURED: Array<[peer: string, authorization: string]> = [
    [
      "ffmpeg 5.1 (Lavf59.27.100) with qop",
      'Digest username="user", realm="rtsp", nonce="abc123", uri="rtsp://127.0.0.1:33021/movie", response="44ebaf4b7b3754649fb01812e096f3f4", qop="auth", cnonce="d7d43a053b2a145e", nc=00000001',
    ],
    [
      "ffmpeg 5.1 (Lavf59.27.100) without qop",
      'Digest username="user", realm="rtsp", nonce="abc123", uri="rtsp://127.0.0.1:38603/movie", response="3bf0ba11bc143c2d5d73a67ef457ff55"',
    ],
    [
      "GStreamer 1.22, which answers without qop even when qop is offered",
      'Digest username="user", realm="rtsp", nonce="abc123", uri="rtsp://127.0.0.1:36245/movie", response="fedc87db71c0ee180cd6a0c6fc9e08b0"',
    ],
  ];
  for (const [peer, authorization] of CAPTURED) {
    test(`verifies the OPTIONS answer of ${peer}`, () => {
      const credentials = parseAuthorization(authorization) as DigestCredentials;
      const expected = { password: "secret", method: "OPTIONS", realm: "rtsp", nonce: "abc123" };
      expect(verifyDigest(credentials, expected)).toBe(true);
      expect(verifyDigest(credentials, { ...expected, password: "secreT" })).toBe(false);
    });
  }

  test("a challenge without qop is answered without qop", () => {
    const credentials = answerDigestChallenge(
      { scheme: "Digest", realm: RFC2617.realm, nonce: RFC2617.nonce, opaque: "op" },
      { username: RFC2617.username, password: RFC2617.password, method: "GET", uri: RFC2617.uri },
    );
    expect(credentials).toEqual({
      scheme: "Digest",
      username: RFC2617.username,
      realm: RFC2617.realm,
      nonce: RFC2617.nonce,
      uri: RFC2617.uri,
      opaque: "op",
      response: computeDigestResponse({ ...RFC2617, qop: undefined }),
    });
  });
});

describe("Basic", () => {
  test("verifies username and password", () => {
    const credentials = parseAuthorization(serializeAuthorization({ scheme: "Basic", username: "ünï", password: "p:w" }));
    if (credentials.scheme !== "Basic") throw new Error("expected Basic credentials");
    expect(verifyBasic(credentials, { username: "ünï", password: "p:w" })).toBe(true);
    expect(verifyBasic(credentials, { username: "uni", password: "p:w" })).toBe(false);
    expect(verifyBasic(credentials, { username: "ünï", password: "p:W" })).toBe(false);
  });
});

function md5(text: string): string {
  return new Bun.CryptoHasher("md5").update(text).digest("hex");
}
