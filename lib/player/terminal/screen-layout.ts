// The terminal screen as one string per row: the video at the top, centred; an optional panel under it; the status
// line at the bottom. Every row erases to its end, so rewriting a row never leaves stale cells behind.

export interface ScreenSize {
  columns: number;
  rows: number;
}

export interface RenderedVideo {
  /** Half-block rows, each `columns` cells wide. */
  lines: string[];
  columns: number;
}

const ERASE_TO_END = "\x1b[K";
const INVERSE = "\x1b[7m";
const RESET = "\x1b[0m";

/** Rows left for the video once the status line and the panel (at most half the screen) have theirs. */
export function videoAreaRows(size: ScreenSize, panelLineCount: number): number {
  return Math.max(1, size.rows - 1 - panelHeight(size, panelLineCount));
}

function panelHeight(size: ScreenSize, panelLineCount: number): number {
  return Math.min(panelLineCount, Math.floor(size.rows / 2));
}

/** Text from outside (a server's description) must not move the cursor or change colours: controls become spaces. */
export function fitText(text: string, width: number): string {
  const visible = [...text.replace(/[\x00-\x1f\x7f-\x9f]/g, " ")];
  return visible.length > width ? visible.slice(0, width).join("") : visible.join("");
}

export function composeScreen(size: ScreenSize, video: RenderedVideo | undefined, panel: readonly string[], status: string): string[] {
  const rows: string[] = [];
  const areaRows = videoAreaRows(size, panel.length);
  const padding = video ? " ".repeat(Math.max(0, Math.floor((size.columns - video.columns) / 2))) : "";
  for (let row = 0; row < areaRows; row++) {
    const line = video?.lines[row];
    rows.push(line === undefined ? ERASE_TO_END : padding + line + ERASE_TO_END);
  }
  for (const line of panel.slice(0, panelHeight(size, panel.length))) rows.push(fitText(line, size.columns) + ERASE_TO_END);
  rows.push(INVERSE + fitText(status, size.columns).padEnd(size.columns) + RESET);
  return rows;
}
