// Test entry: open a client session and hand it to runPlayer, as `rtsp play --ui tui|web` does.
// Usage: bun test/player/play-entry.ts tui|web URL [WEB_PORT]
import { ClientSession } from "../../lib/client/client-session.ts";
import { playerExitCode, runPlayer } from "../../lib/player/run-player.ts";

const [ui, url, webPort] = process.argv.slice(2);
if (ui !== "tui" && ui !== "web") throw new Error(`usage: play-entry.ts tui|web URL [WEB_PORT]`);
const session = await ClientSession.open({ url, dialect: "auto", transport: "auto" });
const exit = await runPlayer(ui, session, { webPort: webPort === undefined ? 0 : Number(webPort) });
process.exit(playerExitCode(exit));
