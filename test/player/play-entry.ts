// Test entry: open a client session and hand it to runPlayer, as `rtsp play --ui tui|web` does.
// Usage: bun test/player/play-entry.ts tui|web URL [WEB_PORT] [auto|lab|rtsp]
import { ClientSession } from "../../lib/client/client-session.ts";
import { playerExitCode, runPlayer } from "../../lib/player/run-player.ts";

const [ui, url, webPort = "0", dialect = "auto"] = process.argv.slice(2);
if ((ui !== "tui" && ui !== "web") || (dialect !== "auto" && dialect !== "lab" && dialect !== "rtsp")) {
  throw new Error("usage: play-entry.ts tui|web URL [WEB_PORT] [auto|lab|rtsp]");
}
const session = await ClientSession.open({ url, dialect, transport: "auto" });
const exit = await runPlayer(ui, session, { webPort: Number(webPort) });
process.exit(playerExitCode(exit));
