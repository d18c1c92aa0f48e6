// The Range header, npt only (RFC 2326 §3.6): `npt=10-`, `npt=0-25.0`, `npt=now-`. CONTRACT (owned by lib/rtsp).
export interface NptRange {
  /** Seconds; undefined for `now`. */
  start?: number;
  end?: number;
}

export class RangeHeaderError extends Error {
  override name = "RangeHeaderError";
}

const SECONDS = /^\d+(?:\.\d*)?$/;
const CLOCK = /^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)$/;

/** Throws RangeHeaderError for anything it cannot read (the server answers 457). */
export function parseRange(value: string): NptRange {
  // A `;time=` parameter may follow the range (RFC 2326 §12.29); it only schedules the request, so it is ignored.
  const [rangeText] = value.split(";");
  const equals = rangeText.indexOf("=");
  if (equals < 0 || rangeText.slice(0, equals).trim().toLowerCase() !== "npt") {
    throw new RangeHeaderError(`only npt ranges are supported: "${value}"`);
  }
  const bounds = rangeText.slice(equals + 1).trim();
  const dash = bounds.indexOf("-");
  if (dash < 0) throw new RangeHeaderError(`missing "-" in "${value}"`);
  const startText = bounds.slice(0, dash).trim();
  const endText = bounds.slice(dash + 1).trim();
  // `npt=-25` (end only) has no start to play from; RFC 2326 allows it but nothing here could honour it.
  if (startText === "") throw new RangeHeaderError(`missing start in "${value}"`);
  const range: NptRange = {};
  if (startText !== "now") range.start = parseNptTime(startText, value);
  if (endText !== "") range.end = parseNptTime(endText, value);
  if (range.end !== undefined && range.end < (range.start ?? 0)) {
    throw new RangeHeaderError(`end before start in "${value}"`);
  }
  return range;
}

function parseNptTime(text: string, value: string): number {
  if (SECONDS.test(text)) return Number(text);
  const clock = CLOCK.exec(text);
  if (clock) {
    const [, hours, minutes, seconds] = clock.map(Number);
    if (minutes < 60 && seconds < 60) return hours * 3600 + minutes * 60 + seconds;
  }
  throw new RangeHeaderError(`invalid npt time "${text}" in "${value}"`);
}

export function serializeRange(range: NptRange): string {
  const start = range.start === undefined ? "now" : formatSeconds(range.start);
  return `npt=${start}-${range.end === undefined ? "" : formatSeconds(range.end)}`;
}

/** Milliseconds precision, without trailing zeros: `10`, `25.5`, `0.333`. */
function formatSeconds(seconds: number): string {
  return Number(seconds.toFixed(3)).toString();
}
