// `--dialect auto`: a standard server answers OPTIONS; the lab's Python server ignores what it does not know.
import { parseStreamUrl } from "../client/rtsp-url.ts";
import { ControlConnection, type BenchDialect } from "./control-connection.ts";

const OPTIONS_TIMEOUT_MS = 2_000;

export async function detectDialect(url: string): Promise<BenchDialect> {
  const { host, port } = parseStreamUrl(url);
  const control = await ControlConnection.open(host, port, "rtsp");
  try {
    const { response } = await control.request("OPTIONS", url, [], OPTIONS_TIMEOUT_MS);
    return response.status === 200 ? "rtsp" : "lab";
  } catch {
    return "lab";
  } finally {
    control.close();
  }
}
