// Bun's `import path from "./x.Mjpeg" with { type: "file" }` gives the file's path (embedded in a compiled binary).
declare module "*.Mjpeg" {
  const path: string;
  export default path;
}
