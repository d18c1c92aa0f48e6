// The Transport header (RFC 2326 §12.39) and the lab's `RTP/UDP; client_port= 25000`.
// CONTRACT (owned by lib/rtsp).

export interface TransportSpec {
  /** `RTP/AVP` (standard), `RTP/UDP` (the lab), `RTP/AVP/TCP`... as sent, upper-cased. */
  protocol: string;
  /** Lower transport: `UDP` unless `/TCP` was given. */
  lowerTransport: "UDP" | "TCP";
  /** True unless `multicast` was given. */
  unicast: boolean;
  clientPort?: [number, number?];
  serverPort?: [number, number?];
  interleaved?: [number, number?];
  ssrc?: number;
  destination?: string;
  source?: string;
  mode?: string;
}

export class TransportError extends Error {
  override name = "TransportError";
}

const PROTOCOL = /^[A-Z]+\/[A-Z]+(?:\/(UDP|TCP))?$/;
const RANGE = /^(\d+)(?:-(\d+))?$/;
const SSRC = /^[0-9A-Fa-f]{1,8}$/;
/** Addresses and modes: anything that survives serialization unquoted. */
const PARAMETER_VALUE = /^[^\s;,"]+$/;

/** Parses a Transport header value: a comma-separated list of alternatives. Throws TransportError on bad syntax. */
export function parseTransport(value: string): TransportSpec[] {
  const alternatives = value.split(",").map((alternative) => alternative.trim());
  if (alternatives.some((alternative) => alternative === "")) throw new TransportError(`empty transport in "${value}"`);
  return alternatives.map(parseAlternative);
}

function parseAlternative(text: string): TransportSpec {
  const [protocolText, ...parameters] = text.split(";").map((part) => part.trim());
  const protocol = protocolText.toUpperCase();
  const match = PROTOCOL.exec(protocol);
  if (!match) throw new TransportError(`unknown transport protocol "${protocolText}"`);
  const spec: TransportSpec = { protocol, lowerTransport: match[1] === "TCP" ? "TCP" : "UDP", unicast: true };
  for (const parameter of parameters) {
    if (parameter === "") continue;
    const equals = parameter.indexOf("=");
    const name = (equals < 0 ? parameter : parameter.slice(0, equals)).trim().toLowerCase();
    // The lab writes `client_port= 25000`; quotes appear around mode in RFC 2326's own examples.
    const argument = equals < 0 ? "" : unquote(parameter.slice(equals + 1).trim());
    switch (name) {
      case "unicast":
        spec.unicast = true;
        break;
      case "multicast":
        spec.unicast = false;
        break;
      case "client_port":
        spec.clientPort = parseRange(name, argument, 65535);
        break;
      case "server_port":
        spec.serverPort = parseRange(name, argument, 65535);
        break;
      case "interleaved":
        spec.interleaved = parseRange(name, argument, 255);
        break;
      case "ssrc":
        if (!SSRC.test(argument)) throw new TransportError(`invalid ssrc "${argument}"`);
        spec.ssrc = Number.parseInt(argument, 16);
        break;
      case "destination":
      case "source":
      case "mode":
        if (!PARAMETER_VALUE.test(argument)) throw new TransportError(`invalid ${name} "${argument}"`);
        spec[name] = argument;
        break;
    }
  }
  return spec;
}

function parseRange(name: string, text: string, max: number): [number, number?] {
  const match = RANGE.exec(text);
  const first = Number(match?.[1]);
  const second = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match || first > max || (second !== undefined && second > max)) {
    throw new TransportError(`invalid ${name} "${text}"`);
  }
  return second === undefined ? [first] : [first, second];
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** The normalized standard form, e.g. `RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;ssrc=0A1B2C3D`. */
export function serializeTransport(spec: TransportSpec): string {
  const parts = [spec.protocol === "RTP/AVP/UDP" ? "RTP/AVP" : spec.protocol, spec.unicast ? "unicast" : "multicast"];
  if (spec.destination !== undefined) parts.push(`destination=${spec.destination}`);
  if (spec.source !== undefined) parts.push(`source=${spec.source}`);
  if (spec.interleaved !== undefined) parts.push(`interleaved=${serializeRange(spec.interleaved)}`);
  if (spec.clientPort !== undefined) parts.push(`client_port=${serializeRange(spec.clientPort)}`);
  if (spec.serverPort !== undefined) parts.push(`server_port=${serializeRange(spec.serverPort)}`);
  if (spec.ssrc !== undefined) parts.push(`ssrc=${(spec.ssrc >>> 0).toString(16).toUpperCase().padStart(8, "0")}`);
  if (spec.mode !== undefined) parts.push(`mode=${spec.mode}`);
  return parts.join(";");
}

function serializeRange([first, second]: [number, number?]): string {
  return second === undefined ? `${first}` : `${first}-${second}`;
}
