// RTSP authentication headers: Basic (RFC 7617) and Digest with MD5 (RFC 2617 / RFC 7616) the way ffmpeg and
// GStreamer speak it: qop=auth or no qop at all (GStreamer's client answers RFC 2069 style), MD5 or MD5-sess.
import { timingSafeEqual } from "node:crypto";

export interface BasicChallenge {
  scheme: "Basic";
  realm: string;
}

export interface DigestChallenge {
  scheme: "Digest";
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm?: string;
  /** Offered qop values, e.g. `["auth"]`. */
  qop?: string[];
  stale?: boolean;
}

export type AuthChallenge = BasicChallenge | DigestChallenge;

export interface BasicCredentials {
  scheme: "Basic";
  username: string;
  password: string;
}

export interface DigestCredentials {
  scheme: "Digest";
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  /** 32 lowercase hex digits. */
  response: string;
  algorithm?: string;
  opaque?: string;
  qop?: string;
  /** 8 hex digits, present with qop. */
  nc?: string;
  cnonce?: string;
}

export type Credentials = BasicCredentials | DigestCredentials;

export interface DigestInput {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  algorithm?: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}

export class AuthHeaderError extends Error {
  override name = "AuthHeaderError";
}

const SCHEME = /^([A-Za-z][A-Za-z0-9-]*)(?:\s+(.*))?$/s;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses one WWW-Authenticate value (servers send one header per scheme). Throws AuthHeaderError. */
export function parseWwwAuthenticate(value: string): AuthChallenge {
  const { scheme, rest } = splitScheme(value);
  const params = parseAuthParams(rest);
  const realm = required(params, "realm", value);
  if (scheme === "basic") return { scheme: "Basic", realm };
  if (scheme !== "digest") throw new AuthHeaderError(`unsupported authentication scheme in "${value}"`);
  const challenge: DigestChallenge = { scheme: "Digest", realm, nonce: required(params, "nonce", value) };
  const opaque = params.get("opaque");
  const algorithm = params.get("algorithm");
  const qop = params.get("qop");
  const stale = params.get("stale");
  if (opaque !== undefined) challenge.opaque = opaque;
  if (algorithm !== undefined) challenge.algorithm = algorithm;
  if (qop !== undefined) challenge.qop = qop.split(",").map((option) => option.trim()).filter(Boolean);
  if (stale !== undefined) challenge.stale = stale.toLowerCase() === "true";
  return challenge;
}

export function serializeWwwAuthenticate(challenge: AuthChallenge): string {
  if (challenge.scheme === "Basic") return `Basic realm=${quote(challenge.realm)}`;
  const parts = [`realm=${quote(challenge.realm)}`, `nonce=${quote(challenge.nonce)}`];
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (challenge.algorithm !== undefined) parts.push(`algorithm=${challenge.algorithm}`);
  if (challenge.qop !== undefined) parts.push(`qop=${quote(challenge.qop.join(","))}`);
  if (challenge.stale !== undefined) parts.push(`stale=${challenge.stale ? "TRUE" : "FALSE"}`);
  return `Digest ${parts.join(", ")}`;
}

/** Parses an Authorization value. Throws AuthHeaderError. */
export function parseAuthorization(value: string): Credentials {
  const { scheme, rest } = splitScheme(value);
  if (scheme === "basic") return parseBasicCredentials(rest.trim(), value);
  if (scheme !== "digest") throw new AuthHeaderError(`unsupported authentication scheme in "${value}"`);
  const params = parseAuthParams(rest);
  const credentials: DigestCredentials = {
    scheme: "Digest",
    username: required(params, "username", value),
    realm: required(params, "realm", value),
    nonce: required(params, "nonce", value),
    uri: required(params, "uri", value),
    response: required(params, "response", value).toLowerCase(),
  };
  for (const name of ["algorithm", "opaque", "qop", "nc", "cnonce"] as const) {
    const parameter = params.get(name);
    if (parameter !== undefined) credentials[name] = parameter;
  }
  if (credentials.qop !== undefined && (credentials.nc === undefined || credentials.cnonce === undefined)) {
    throw new AuthHeaderError(`qop without nc and cnonce in "${value}"`);
  }
  return credentials;
}

export function serializeAuthorization(credentials: Credentials): string {
  if (credentials.scheme === "Basic") {
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, "utf8").toString("base64")}`;
  }
  const parts = [
    `username=${quote(credentials.username)}`,
    `realm=${quote(credentials.realm)}`,
    `nonce=${quote(credentials.nonce)}`,
    `uri=${quote(credentials.uri)}`,
    `response=${quote(credentials.response)}`,
  ];
  if (credentials.algorithm !== undefined) parts.push(`algorithm=${credentials.algorithm}`);
  if (credentials.opaque !== undefined) parts.push(`opaque=${quote(credentials.opaque)}`);
  if (credentials.qop !== undefined) {
    parts.push(`qop=${credentials.qop}`, `nc=${credentials.nc}`, `cnonce=${quote(credentials.cnonce ?? "")}`);
  }
  return `Digest ${parts.join(", ")}`;
}

/** The Digest `response` value. Throws AuthHeaderError for an algorithm or qop other than MD5(-sess) / auth. */
export function computeDigestResponse(input: DigestInput): string {
  const algorithm = (input.algorithm ?? "MD5").toUpperCase();
  if (algorithm !== "MD5" && algorithm !== "MD5-SESS") {
    throw new AuthHeaderError(`unsupported algorithm ${input.algorithm}`);
  }
  if (input.qop !== undefined && input.qop !== "auth") throw new AuthHeaderError(`unsupported qop ${input.qop}`);
  if ((input.qop !== undefined || algorithm === "MD5-SESS") && input.cnonce === undefined) {
    throw new AuthHeaderError("cnonce required");
  }
  let secret = md5(`${input.username}:${input.realm}:${input.password}`);
  if (algorithm === "MD5-SESS") secret = md5(`${secret}:${input.nonce}:${input.cnonce}`);
  const request = md5(`${input.method}:${input.uri}`);
  if (input.qop === undefined) return md5(`${secret}:${input.nonce}:${request}`);
  return md5(`${secret}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${request}`);
}

/**
 * The client's answer to a Digest challenge: qop=auth when offered (then `cnonce` is required), none otherwise.
 * `nc` counts the requests made with this nonce.
 */
export function answerDigestChallenge(
  challenge: DigestChallenge,
  request: { username: string; password: string; method: string; uri: string; cnonce?: string; nc?: number },
): DigestCredentials {
  const qop = challenge.qop?.includes("auth") ? "auth" : undefined;
  const nc = qop === undefined ? undefined : (request.nc ?? 1).toString(16).padStart(8, "0");
  const cnonce = qop === undefined ? undefined : request.cnonce;
  const response = computeDigestResponse({
    ...request,
    realm: challenge.realm,
    nonce: challenge.nonce,
    algorithm: challenge.algorithm,
    qop,
    nc,
    cnonce,
  });
  const credentials: DigestCredentials = {
    scheme: "Digest",
    username: request.username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: request.uri,
    response,
  };
  if (challenge.algorithm !== undefined) credentials.algorithm = challenge.algorithm;
  if (challenge.opaque !== undefined) credentials.opaque = challenge.opaque;
  if (qop !== undefined) Object.assign(credentials, { qop, nc, cnonce });
  return credentials;
}

/** True when the credentials answer the nonce this server issued in this realm with the right password. */
export function verifyDigest(
  credentials: DigestCredentials,
  expected: { password: string; method: string; realm: string; nonce: string },
): boolean {
  if (credentials.realm !== expected.realm || credentials.nonce !== expected.nonce) return false;
  let response: string;
  try {
    response = computeDigestResponse({ ...credentials, password: expected.password, method: expected.method });
  } catch {
    return false;
  }
  return constantTimeEquals(response, credentials.response.toLowerCase());
}

export function verifyBasic(credentials: BasicCredentials, expected: { username: string; password: string }): boolean {
  const user = constantTimeEquals(credentials.username, expected.username);
  const password = constantTimeEquals(credentials.password, expected.password);
  return user && password;
}

function md5(text: string): string {
  return new Bun.CryptoHasher("md5").update(text).digest("hex");
}

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

function splitScheme(value: string): { scheme: string; rest: string } {
  const match = SCHEME.exec(value.trim());
  if (!match) throw new AuthHeaderError(`no authentication scheme in "${value}"`);
  return { scheme: match[1].toLowerCase(), rest: match[2] ?? "" };
}

function parseBasicCredentials(token: string, value: string): BasicCredentials {
  if (!BASE64.test(token)) throw new AuthHeaderError(`invalid Basic credentials in "${value}"`);
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new AuthHeaderError(`Basic credentials without ":" in "${value}"`);
  return { scheme: "Basic", username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** `name=token` or `name="quoted \"string\""` pairs separated by commas; names lower-cased. */
function parseAuthParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  let index = 0;
  const skip = (pattern: RegExp) => {
    while (index < text.length && pattern.test(text[index])) index++;
  };
  for (;;) {
    skip(/[\s,]/);
    if (index >= text.length) return params;
    const nameStart = index;
    skip(/[^\s=,]/);
    const name = text.slice(nameStart, index).toLowerCase();
    skip(/\s/);
    if (text[index] !== "=") throw new AuthHeaderError(`parameter "${name}" without value in "${text}"`);
    index++;
    skip(/\s/);
    let parameter = "";
    if (text[index] === '"') {
      index++;
      while (index < text.length && text[index] !== '"') {
        if (text[index] === "\\") index++;
        parameter += text[index] ?? "";
        index++;
      }
      if (index >= text.length) throw new AuthHeaderError(`unterminated quoted string in "${text}"`);
      index++;
    } else {
      const valueStart = index;
      skip(/[^,]/);
      parameter = text.slice(valueStart, index).trim();
    }
    params.set(name, parameter);
  }
}

function required(params: Map<string, string>, name: string, value: string): string {
  const parameter = params.get(name);
  if (parameter === undefined) throw new AuthHeaderError(`missing ${name} in "${value}"`);
  return parameter;
}

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, "\\$&")}"`;
}
