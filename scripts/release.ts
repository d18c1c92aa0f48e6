// Cross-compiles the standalone `rtsp` binary for every supported platform into dist/, with a SHA256SUMS file.
// Bun fetches each cross-target runtime from the npm registry on first use.
import { $ } from "bun";
import { createHash } from "node:crypto";
import { basename } from "node:path";

const targets = [
  { target: "bun-linux-x64", file: "rtsp-linux-x64" },
  { target: "bun-linux-arm64", file: "rtsp-linux-arm64" },
  { target: "bun-darwin-x64", file: "rtsp-darwin-x64" },
  { target: "bun-darwin-arm64", file: "rtsp-darwin-arm64" },
  { target: "bun-windows-x64", file: "rtsp-windows-x64.exe" },
];

const sums: string[] = [];
for (const { target, file } of targets) {
  const out = `dist/${file}`;
  await $`bun build --compile --minify --no-compile-autoload-dotenv --no-compile-autoload-bunfig --target ${target} cmd/rtsp.ts --outfile ${out}`;
  const digest = createHash("sha256").update(new Uint8Array(await Bun.file(out).arrayBuffer())).digest("hex");
  sums.push(`${digest}  ${basename(out)}`);
}
await Bun.write("dist/SHA256SUMS", sums.join("\n") + "\n");
console.log(sums.join("\n"));
