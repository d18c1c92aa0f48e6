// What a bench result was measured on, recorded beside the numbers.
import { cpus, loadavg, release } from "node:os";

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  kernel: string;
  bun: string;
  /** 1-minute load average when the run started: the machine may be busy with other work. */
  loadAverage1m: number;
  startedAt: string;
}

export function describeMachine(): MachineInfo {
  const processors = cpus();
  return {
    cpus: processors.length,
    cpuModel: processors[0]?.model ?? "unknown",
    kernel: release(),
    bun: Bun.version,
    loadAverage1m: loadavg()[0],
    startedAt: new Date().toISOString(),
  };
}
