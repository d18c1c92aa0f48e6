// The Authorization header of each request once a server has challenged us: Digest preferred (the password never
// crosses the network), Basic only when it is all the server offers. One challenge is reused for every later request.
import { randomBytes } from "node:crypto";
import type { HeaderList } from "../rtsp/message.ts";
import {
  AuthHeaderError,
  answerDigestChallenge,
  parseWwwAuthenticate,
  serializeAuthorization,
  type AuthChallenge,
} from "../rtsp/auth.ts";
import type { Credentials } from "./rtsp-url.ts";

export class RequestAuthorizer {
  private challenge: AuthChallenge | undefined;
  /** Requests answered under the current Digest nonce (the `nc` of qop=auth). */
  private nonceCount = 0;
  private readonly cnonce = randomBytes(8).toString("hex");

  constructor(private readonly credentials: Credentials) {}

  /** The header for a request, once a challenge is known. */
  authorization(method: string, uri: string): string | undefined {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === "Basic") return serializeAuthorization({ scheme: "Basic", ...this.credentials });
    this.nonceCount++;
    try {
      return serializeAuthorization(
        answerDigestChallenge(challenge, { ...this.credentials, method, uri, cnonce: this.cnonce, nc: this.nonceCount }),
      );
    } catch (error) {
      // A challenge we cannot compute (another algorithm) is sent without credentials: the 401 then reaches the user.
      if (error instanceof AuthHeaderError) return undefined;
      throw error;
    }
  }

  /**
   * Takes the challenges of a 401; true when the request is worth sending again: the first challenge we see, or a
   * Digest nonce that went stale. A plain 401 after we answered means wrong credentials.
   */
  accept(headers: HeaderList): boolean {
    const offered: AuthChallenge[] = [];
    for (const [name, value] of headers) {
      if (name.toLowerCase() !== "www-authenticate") continue;
      try {
        offered.push(parseWwwAuthenticate(value));
      } catch (error) {
        if (!(error instanceof AuthHeaderError)) throw error;
      }
    }
    const next = offered.find((challenge) => challenge.scheme === "Digest") ?? offered[0];
    if (!next) return false;
    const retry = this.challenge === undefined || (next.scheme === "Digest" && next.stale === true);
    if (retry) {
      this.challenge = next;
      this.nonceCount = 0;
    }
    return retry;
  }
}
