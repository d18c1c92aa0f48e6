// scripts/scheduling-floor.py, the machine's pacing floor that BENCHMARKS.md sets beside `rtsp bench`: its report's
// shape, its argument check, and its percentile being the bench's. Never the machine's speed.
import { expect, test } from "bun:test";
import { resolve } from "node:path";
import { percentile } from "../../lib/client/frame-timing.ts";

const script = resolve(import.meta.dir, "../../scripts/scheduling-floor.py");

function python(args: string[]) {
  const run = Bun.spawnSync(["python3", ...args]);
  return { exitCode: run.exitCode, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

test("one line per run, with ordered lateness figures", () => {
  const { exitCode, stdout, stderr } = python([script, "--frames", "4", "--runs", "2"]);
  expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(2);
  const shape = /^4 deadlines: lateness p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms; (\d+) more than 1 ms late; latest wake-up ([\d.]+) ms$/;
  for (const line of lines) {
    const match = shape.exec(line);
    expect(match).not.toBeNull();
    const [p50, p99, max, over1] = match!.slice(1, 5).map(Number);
    expect(p50).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(max);
    expect(over1).toBeLessThanOrEqual(4);
  }
});

test("a run of no deadlines is refused with a usage error", () => {
  const { exitCode, stderr } = python([script, "--frames", "0"]);
  expect(exitCode).toBe(2);
  expect(stderr).toContain("--frames and --runs must be at least 1");
});

test("its percentile is rtsp bench's nearest rank", () => {
  const tables = [[7], [1, 2], Array.from({ length: 500 }, (_, i) => i + 1), Array.from({ length: 37 }, (_, i) => i * i)];
  const load = `import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("floor", ${JSON.stringify(script)})
floor = importlib.util.module_from_spec(spec); spec.loader.exec_module(floor)
print(json.dumps([[floor.percentile(t, p) for p in (50, 99)] for t in json.loads(sys.argv[1])]))`;
  const { exitCode, stdout, stderr } = python(["-c", load, JSON.stringify(tables)]);
  expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: "" });
  expect(JSON.parse(stdout)).toEqual(tables.map((table) => [percentile(table, 50), percentile(table, 99)]));
});
