// Optional RTSP authentication: Digest (MD5, qop=auth or none, as ffmpeg and GStreamer answer) and, only when asked
// for, Basic. Nonces are stateless (issue time + HMAC under a per-server random key), so a flood of challenges costs
// no memory, expired nonces are told from forged ones (stale=true), and nothing survives a restart.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import {
  AuthHeaderError,
  parseAuthorization,
  serializeWwwAuthenticate,
  verifyBasic,
  verifyDigest,
  type Credentials,
} from "../rtsp/auth.ts";

export interface AuthOptions {
  /** user → password. */
  users: Map<string, string>;
  /** Accept Basic too (the password crosses the network in clear). */
  allowBasic: boolean;
  realm?: string;
  /** How long a nonce is accepted, ms; default 5 minutes. */
  nonceLifetimeMs?: number;
  /** Failures from one address within failureWindowMs that start a cool-down; default 5 in 10 s. */
  maxFailures?: number;
  failureWindowMs?: number;
  now?: () => number;
}

export type AuthDecision =
  | { ok: true; username: string }
  /** Answer 401 with these WWW-Authenticate headers. */
  | { ok: false; challenges: string[]; reason: string };

const DEFAULT_REALM = "rtsp";
const DEFAULT_NONCE_LIFETIME_MS = 5 * 60_000;
const DEFAULT_MAX_FAILURES = 5;
const DEFAULT_FAILURE_WINDOW_MS = 10_000;
const NONCE = /^([0-9a-f]{1,13})-([0-9a-f]{32})$/;

/** Reads `user:pass` lines (the password may contain `:`); blank lines and `#` comments are skipped. */
export function parseUserList(lines: string[], source: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`${source}${lines.length > 1 ? ` line ${index + 1}` : ""}: expected user:password`);
    users.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return users;
}

export class Authenticator {
  private readonly key = randomBytes(32);
  private readonly realm: string;
  private readonly nonceLifetimeMs: number;
  private readonly maxFailures: number;
  private readonly failureWindowMs: number;
  private readonly now: () => number;
  /** Recent failure times per remote address. */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly options: AuthOptions) {
    this.realm = options.realm ?? DEFAULT_REALM;
    this.nonceLifetimeMs = options.nonceLifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
    this.maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.failureWindowMs = options.failureWindowMs ?? DEFAULT_FAILURE_WINDOW_MS;
    this.now = options.now ?? Date.now;
  }

  /** Decides on a request's Authorization header (undefined when absent). */
  check(request: { method: string; uri: string; authorization?: string }, address: string): AuthDecision {
    if (this.coolingDown(address)) return this.refuse("too many failed attempts: cooling down", false);
    if (request.authorization === undefined) return this.refuse("authentication required", false);
    let credentials: Credentials;
    try {
      credentials = parseAuthorization(request.authorization);
    } catch (error) {
      if (!(error instanceof AuthHeaderError)) throw error;
      return this.fail(address, `unreadable Authorization: ${error.message}`, false);
    }
    const password = this.options.users.get(credentials.username);
    if (credentials.scheme === "Basic") {
      if (!this.options.allowBasic) return this.fail(address, "Basic authentication is not enabled", false);
      const ok = verifyBasic(credentials, { username: credentials.username, password: password ?? "" }) && password !== undefined;
      return ok ? { ok: true, username: credentials.username } : this.fail(address, `wrong user or password for ${credentials.username}`, false);
    }
    const age = this.nonceAge(credentials.nonce);
    if (age === undefined) return this.fail(address, "nonce not issued by this server", false);
    const valid =
      password !== undefined &&
      credentials.uri === request.uri &&
      verifyDigest(credentials, { password, method: request.method, realm: this.realm, nonce: credentials.nonce });
    if (!valid) return this.fail(address, `wrong user or password for ${credentials.username}`, false);
    // The right password on an old nonce is no failure: the client asks again with a fresh one.
    if (age > this.nonceLifetimeMs) return this.refuse("nonce expired", true);
    return { ok: true, username: credentials.username };
  }

  /** Forgets failures older than the window (called from the server's sweep so the map stays small). */
  sweep(): void {
    const since = this.now() - this.failureWindowMs;
    for (const [address, times] of this.failures) {
      const recent = times.filter((time) => time > since);
      if (recent.length === 0) this.failures.delete(address);
      else this.failures.set(address, recent);
    }
  }

  private coolingDown(address: string): boolean {
    const since = this.now() - this.failureWindowMs;
    return (this.failures.get(address) ?? []).filter((time) => time > since).length >= this.maxFailures;
  }

  private fail(address: string, reason: string, stale: boolean): AuthDecision {
    const times = this.failures.get(address) ?? [];
    times.push(this.now());
    this.failures.set(address, times.slice(-this.maxFailures));
    return this.refuse(reason, stale);
  }

  private refuse(reason: string, stale: boolean): AuthDecision {
    const digest = serializeWwwAuthenticate({
      scheme: "Digest",
      realm: this.realm,
      nonce: this.issueNonce(),
      algorithm: "MD5",
      ...(stale ? { stale: true } : {}),
    });
    const challenges = [digest];
    if (this.options.allowBasic) challenges.push(serializeWwwAuthenticate({ scheme: "Basic", realm: this.realm }));
    return { ok: false, challenges, reason };
  }

  private issueNonce(): string {
    const issued = this.now().toString(16);
    return `${issued}-${this.sign(issued)}`;
  }

  /** Milliseconds since a nonce of ours was issued; undefined for one we did not issue. */
  private nonceAge(nonce: string): number | undefined {
    const match = NONCE.exec(nonce);
    if (!match || !timingSafeEqual(Buffer.from(this.sign(match[1])), Buffer.from(match[2]))) return undefined;
    return this.now() - parseInt(match[1], 16);
  }

  private sign(issued: string): string {
    return createHmac("sha256", this.key).update(issued).digest("hex").slice(0, 32);
  }
}
