import { describe, expect, test } from "bun:test";
import { isSupportedMethod, SessionState, SUPPORTED_METHODS, transition } from "../../lib/server/session-state.ts";

const { Init, Ready, Playing } = SessionState;

// Every (state, method) pair: the next state, or undefined for 455 Method Not Valid in This State.
const TABLE: Array<[SessionState, (typeof SUPPORTED_METHODS)[number], SessionState | undefined]> = [
  [Init, "OPTIONS", Init],
  [Init, "DESCRIBE", Init],
  [Init, "GET_PARAMETER", Init],
  [Init, "SETUP", Ready],
  [Init, "PLAY", undefined],
  [Init, "PAUSE", undefined],
  [Init, "TEARDOWN", Init],
  [Init, "FORWARD", undefined],
  [Init, "BACKWARD", undefined],
  [Init, "RESTART", undefined],
  [Ready, "OPTIONS", Ready],
  [Ready, "DESCRIBE", Ready],
  [Ready, "GET_PARAMETER", Ready],
  [Ready, "SETUP", Ready],
  [Ready, "PLAY", Playing],
  [Ready, "PAUSE", Ready],
  [Ready, "TEARDOWN", Init],
  [Ready, "FORWARD", Ready],
  [Ready, "BACKWARD", Ready],
  [Ready, "RESTART", Ready],
  [Playing, "OPTIONS", Playing],
  [Playing, "DESCRIBE", Playing],
  [Playing, "GET_PARAMETER", Playing],
  [Playing, "SETUP", undefined],
  [Playing, "PLAY", Playing],
  [Playing, "PAUSE", Ready],
  [Playing, "TEARDOWN", Init],
  [Playing, "FORWARD", Playing],
  [Playing, "BACKWARD", Playing],
  [Playing, "RESTART", Playing],
];

describe("session state machine", () => {
  test("the table covers every state × method pair", () => {
    expect(TABLE.length).toBe(3 * SUPPORTED_METHODS.length);
  });

  test.each(TABLE)("%s + %s → %s", (state, method, expected) => {
    expect(transition(state, method)).toBe(expected);
  });

  test.each([
    ["SETUP", true],
    ["FORWARD", true],
    ["RECORD", false],
    ["ANNOUNCE", false],
    ["SET_PARAMETER", false],
    ["setup", false],
    ["", false],
  ] as const)("isSupportedMethod(%p) = %p", (method, expected) => {
    expect(isSupportedMethod(method)).toBe(expected);
  });
});
