// Terminal key bytes (raw mode) to player actions. Arrow keys arrive as CSI (ESC [ C) or, in application cursor
// mode, SS3 (ESC O C) sequences; one read may hold several keys.

export type KeyAction = "toggle-play" | "forward" | "backward" | "restart" | "toggle-description" | "toggle-statistics" | "quit";

const SEQUENCES: ReadonlyArray<readonly [string, KeyAction]> = [
  ["\x1b[C", "forward"],
  ["\x1bOC", "forward"],
  ["\x1b[D", "backward"],
  ["\x1bOD", "backward"],
  [" ", "toggle-play"],
  ["r", "restart"],
  ["R", "restart"],
  ["d", "toggle-description"],
  ["D", "toggle-description"],
  ["s", "toggle-statistics"],
  ["S", "toggle-statistics"],
  ["q", "quit"],
  ["Q", "quit"],
  ["\x03", "quit"], // Ctrl-C: raw mode delivers it as a byte, not SIGINT
];

/** Every action in the input, in order; bytes that are no key of ours (other escape sequences included) are skipped. */
export function parseKeys(input: string): KeyAction[] {
  const actions: KeyAction[] = [];
  let i = 0;
  while (i < input.length) {
    const match = SEQUENCES.find(([sequence]) => input.startsWith(sequence, i));
    if (match) {
      actions.push(match[1]);
      i += match[0].length;
    } else {
      i += unknownKeyLength(input, i);
    }
  }
  return actions;
}

/** Length of the key at `start` that we do not handle: a whole CSI/SS3 sequence, else one character. */
function unknownKeyLength(input: string, start: number): number {
  if (input[start] !== "\x1b" || start + 1 >= input.length) return 1;
  if (input[start + 1] === "O") return Math.min(3, input.length - start);
  if (input[start + 1] !== "[") return 1;
  let end = start + 2;
  // CSI: parameter and intermediate bytes, then one final byte in @..~
  while (end < input.length && !(input.charCodeAt(end) >= 0x40 && input.charCodeAt(end) <= 0x7e)) end++;
  return Math.min(end + 1, input.length) - start;
}
