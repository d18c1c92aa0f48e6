// The Session header: `id` or `id;timeout=60`. CONTRACT (owned by lib/rtsp).
export interface SessionHeader {
  id: string;
  timeout?: number;
}
export declare function parseSessionHeader(value: string): SessionHeader;
export declare function serializeSessionHeader(session: SessionHeader): string;
