// Turns successive screens into the bytes that change the terminal from one to the next: only rows that differ are
// rewritten, all in one write, wrapped in synchronized-output mode so terminals that know it show no half frame.

const SYNC_BEGIN = "\x1b[?2026h";
const SYNC_END = "\x1b[?2026l";

export class ScreenDiff {
  private previous: readonly string[] = [];

  /** Forget what is on screen (after a resize the terminal's contents are unknown). */
  invalidate(): void {
    this.previous = [];
  }

  /** The output that turns the last screen into `rows`; "" when nothing changed. */
  update(rows: readonly string[]): string {
    let output = "";
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] !== this.previous[i]) output += `\x1b[${i + 1};1H${rows[i]}`;
    }
    this.previous = rows;
    return output === "" ? "" : SYNC_BEGIN + output + SYNC_END;
  }
}
