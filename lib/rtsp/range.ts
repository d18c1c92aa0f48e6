// The Range header, npt only (RFC 2326 §3.6): `npt=10-`, `npt=0-25.0`, `npt=now-`. CONTRACT (owned by lib/rtsp).
export interface NptRange {
  /** Seconds; undefined for `now`. */
  start?: number;
  end?: number;
}
/** Throws RangeHeaderError for anything it cannot read (the server answers 457). */
export declare function parseRange(value: string): NptRange;
export declare function serializeRange(range: NptRange): string;
export declare class RangeHeaderError extends Error {}
