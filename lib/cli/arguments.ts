// Argument definitions and validators shared by the sub-commands. citty has no number type, so numbers are
// parsed here, once, with errors that name the flag.
import type { ArgsDef } from "citty";

export class UsageError extends Error {}

export function parseInteger(flag: string, value: string | undefined, min: number, max: number): number {
  const text = (value ?? "").trim();
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${flag} must be a whole number, got "${value ?? ""}"`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function parsePort(flag: string, value: string | undefined, { allowZero = false } = {}): number {
  return parseInteger(flag, value, allowZero ? 0 : 1, 65535);
}

export function parsePositiveNumber(flag: string, value: string | undefined): number {
  const n = Number((value ?? "").trim());
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number, got "${value ?? ""}"`);
  return n;
}

export const verboseArg = {
  verbose: { type: "boolean", alias: "v", description: "Log every request and reply", default: false },
} as const satisfies ArgsDef;

export const dialectArg = {
  dialect: {
    type: "enum",
    options: ["auto", "lab", "rtsp"],
    default: "auto",
    description: "auto: standard RTSP, falling back to the lab dialect when the server does not answer OPTIONS; lab: the classic lab; rtsp: RFC 2326 only",
  },
} as const satisfies ArgsDef;

export const transportArg = {
  transport: {
    type: "enum",
    options: ["auto", "udp", "tcp"],
    default: "auto",
    description: "RTP transport on the standard path; auto tries UDP, then falls back to TCP interleaved",
  },
} as const satisfies ArgsDef;
