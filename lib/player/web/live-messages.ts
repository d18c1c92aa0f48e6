// What travels over the web player's WebSocket. Frames go as binary messages: the frame number (4 bytes, big
// endian) then the JPEG, so the picture and its counter can never disagree. Everything else is JSON text.
import type { DisplayState } from "../status-line.ts";

export type BrowserCommand = "play" | "pause" | "stop" | "forward" | "backward" | "restart" | "describe";
export const BROWSER_COMMANDS: readonly BrowserCommand[] = ["play", "pause", "stop", "forward", "backward", "restart", "describe"];

export type ServerMessage =
  | { type: "status"; state: DisplayState; totalFrames: number | null; line: string; statistics: string[] }
  | { type: "description"; text: string }
  | { type: "stopped" };

export function encodeFrameMessage(number: number, jpeg: Uint8Array): Uint8Array {
  const message = new Uint8Array(4 + jpeg.length);
  new DataView(message.buffer).setUint32(0, number);
  message.set(jpeg, 4);
  return message;
}

/** A browser's command, or null for anything else (the socket is open to any local page). */
export function parseBrowserCommand(text: string): BrowserCommand | null {
  try {
    const command = (JSON.parse(text) as { command?: unknown }).command;
    return BROWSER_COMMANDS.find((known) => known === command) ?? null;
  } catch {
    return null;
  }
}
