// Picks the dialect: lab or standard as asked, or auto — OPTIONS first; a server that stays silent for ~1 s or answers
// lab-style (no blank line) gets a fresh connection in the lab dialect.
import type { DialectDriver, MediaCallbacks } from "./dialect-driver.ts";
import { LabDriver, type LabVersion } from "./lab-driver.ts";
import type { StreamUrl } from "./rtsp-url.ts";
import { StandardDriver } from "./standard-driver.ts";

export interface DriverChoice {
  stream: StreamUrl;
  dialect: "auto" | "lab" | "rtsp";
  transport: "auto" | "udp" | "tcp";
  clientPort: number;
  labVersion: LabVersion;
  replyTimeoutMs: number;
}

export async function openDriver(choice: DriverChoice, media: MediaCallbacks): Promise<DialectDriver> {
  if (choice.dialect === "lab") return openLab(choice, media);
  const options = { stream: choice.stream, transport: choice.transport, clientPort: choice.clientPort, replyTimeoutMs: choice.replyTimeoutMs, media };
  const standard = await StandardDriver.connect(options, choice.dialect === "auto");
  return standard ?? openLab(choice, media);
}

function openLab(choice: DriverChoice, media: MediaCallbacks): Promise<LabDriver> {
  if (choice.transport === "tcp") throw new Error("the lab dialect streams over UDP only (use --transport udp or auto)");
  return LabDriver.connect({
    stream: choice.stream,
    clientPort: choice.clientPort,
    version: choice.labVersion,
    replyTimeoutMs: choice.replyTimeoutMs,
    media,
  });
}
