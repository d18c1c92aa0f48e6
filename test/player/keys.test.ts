import { expect, test } from "bun:test";
import { parseKeys } from "../../lib/player/terminal/keys.ts";

test.each([
  [" ", ["toggle-play"]],
  ["\x1b[C", ["forward"]],
  ["\x1bOC", ["forward"]],
  ["\x1b[D", ["backward"]],
  ["\x1bOD", ["backward"]],
  ["r", ["restart"]],
  ["d", ["toggle-description"]],
  ["s", ["toggle-statistics"]],
  ["q", ["quit"]],
  ["Q", ["quit"]],
  ["\x03", ["quit"]],
  ["", []],
] as const)("%j", (input, expected) => {
  expect(parseKeys(input)).toEqual([...expected]);
});

test("several keys in one read keep their order", () => {
  expect(parseKeys(" \x1b[C\x1b[Cr\x1b[Dq")).toEqual(["toggle-play", "forward", "forward", "restart", "backward", "quit"]);
});

test("unknown keys and escape sequences are skipped whole, so their bytes are not read as keys", () => {
  // Up arrow, F5 (ESC [ 1 5 ~), a mouse-ish sequence ending in 'q'-free bytes, then space.
  expect(parseKeys("x\x1b[A\x1b[15~\x1b[1;5Cz ")).toEqual(["toggle-play"]);
  // "\x1b[2;3R" ends in R: a cursor report, not a restart.
  expect(parseKeys("\x1b[2;3R")).toEqual([]);
  expect(parseKeys("\x1b")).toEqual([]);
});

test("seeded fuzz: random bytes never throw and only yield known actions", () => {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % 128;
  };
  const known = new Set(["toggle-play", "forward", "backward", "restart", "toggle-description", "toggle-statistics", "quit"]);
  for (let round = 0; round < 2000; round++) {
    const input = String.fromCharCode(...Array.from({ length: 1 + (next() % 12) }, next));
    for (const action of parseKeys(input)) expect(known.has(action)).toBe(true);
  }
});
