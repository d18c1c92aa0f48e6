// Reading a process's CPU time and resident memory from Linux /proc, as pure parsers plus one sampler.
import { readFileSync } from "node:fs";

export interface CpuTicks {
  /** utime + stime, in clock ticks (USER_HZ). */
  total: number;
}

/**
 * /proc/<pid>/stat: the command name (field 2) is in parentheses and may itself hold spaces or parentheses,
 * so fields are counted from the last ')'. utime and stime are fields 14 and 15.
 */
export function parseProcStat(text: string): CpuTicks | Error {
  const nameEnd = text.lastIndexOf(")");
  if (nameEnd < 0) return new Error("/proc stat has no ')' closing the command name");
  const fields = text.slice(nameEnd + 1).trim().split(/\s+/);
  // fields[0] is field 3 (state), so field k is fields[k - 3].
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) return new Error("/proc stat has no utime/stime numbers");
  return { total: utime + stime };
}

/** VmRSS of /proc/<pid>/status, in bytes. */
export function parseVmRssBytes(text: string): number | Error {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
  if (!match) return new Error("/proc status has no VmRSS line");
  return Number(match[1]) * 1024;
}

export interface ProcessUsage {
  pid: number;
  /** CPU time over the sampled window, as % of one core (100 = one core busy). */
  cpuPercent: number;
  /** Busiest sampling interval, % of one core. */
  cpuPercentPeak: number;
  rssMeanBytes: number;
  rssMaxBytes: number;
}

/** Linux's USER_HZ: 100 on every mainstream architecture; asked of getconf once in case this one differs. */
function clockTicksPerSecond(): number {
  const answer = Bun.spawnSync(["getconf", "CLK_TCK"], { stdout: "pipe", stderr: "ignore" });
  const ticks = Number(answer.stdout.toString().trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
}

/** Samples another process's /proc entries on an interval, from start() to stop(). */
export class ProcessSampler {
  private readonly ticksPerSecond = clockTicksPerSecond();
  private timer: ReturnType<typeof setInterval> | undefined;
  private startTicks = 0;
  private startMs = 0;
  private lastTicks = 0;
  private lastMs = 0;
  private peakPercent = 0;
  private rssSum = 0;
  private rssCount = 0;
  private rssMax = 0;

  constructor(
    readonly pid: number,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.startTicks = this.lastTicks = this.readTicks();
    this.startMs = this.lastMs = performance.now();
    this.sampleRss();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): ProcessUsage {
    clearInterval(this.timer);
    this.sample();
    const seconds = (this.lastMs - this.startMs) / 1000;
    const cpuSeconds = (this.lastTicks - this.startTicks) / this.ticksPerSecond;
    return {
      pid: this.pid,
      cpuPercent: seconds > 0 ? (100 * cpuSeconds) / seconds : 0,
      cpuPercentPeak: this.peakPercent,
      rssMeanBytes: this.rssCount > 0 ? this.rssSum / this.rssCount : 0,
      rssMaxBytes: this.rssMax,
    };
  }

  private sample(): void {
    const ticks = this.readTicks();
    const now = performance.now();
    const seconds = (now - this.lastMs) / 1000;
    if (seconds > 0) {
      this.peakPercent = Math.max(this.peakPercent, (100 * (ticks - this.lastTicks)) / this.ticksPerSecond / seconds);
    }
    this.lastTicks = ticks;
    this.lastMs = now;
    this.sampleRss();
  }

  private readTicks(): number {
    const ticks = parseProcStat(readFileSync(`/proc/${this.pid}/stat`, "utf8"));
    if (ticks instanceof Error) throw new Error(`process ${this.pid}: ${ticks.message}`);
    return ticks.total;
  }

  private sampleRss(): void {
    const rss = parseVmRssBytes(readFileSync(`/proc/${this.pid}/status`, "utf8"));
    if (rss instanceof Error) throw new Error(`process ${this.pid}: ${rss.message}`);
    this.rssSum += rss;
    this.rssCount++;
    this.rssMax = Math.max(this.rssMax, rss);
  }
}
