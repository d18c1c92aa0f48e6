// `rtsp media info|make|import`: inspect a movie, generate the sample movie, convert JPEGs to the lab format.
import { defineCommand } from "citty";
import { consola } from "consola";
import { parseInteger, UsageError } from "../lib/cli/arguments.ts";
import { JpegError, RTP_JPEG_MAX_DIMENSION } from "../lib/media/jpeg-info.ts";
import { encodeLabMovie, LAB_MAX_FRAME_BYTES } from "../lib/media/lab-format.ts";
import { Movie, MovieError, type MovieInfo } from "../lib/media/movie.ts";
import { makeSampleMovie, SAMPLE_QUALITY } from "../lib/media/sample.ts";

/** Expected failures (bad input, bad file) end with one line and exit code 1; anything else is a bug and keeps its stack. */
async function reportingErrors(action: () => Promise<void>) {
  try {
    await action();
  } catch (error) {
    if (error instanceof UsageError || error instanceof MovieError || error instanceof JpegError) {
      consola.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const FORMAT_NAMES: Record<MovieInfo["format"], string> = {
  lab: "lab (5-digit length, then the JPEG, per frame)",
  mjpeg: "concatenated JPEG",
  "jpeg-folder": "folder of JPEG files",
};

const count = (n: number) => n.toLocaleString("en-US");

function describeMovie(info: MovieInfo): string {
  const { min, median, max } = info.frameSizes;
  const rtp = info.rtpReady
    ? "ready: every frame travels as RFC 2435 RTP/JPEG unchanged"
    : `not ready (${info.rtpProblem}); it is converted to baseline 4:2:0 once before streaming`;
  return [
    info.name,
    `  format       ${FORMAT_NAMES[info.format]}`,
    `  frames       ${count(info.frameCount)}`,
    `  bytes        ${count(info.bytes)}`,
    `  frame sizes  min ${count(min)}, median ${count(median)}, max ${count(max)} bytes`,
    `  picture      ${info.width}x${info.height}, ${info.sampling}`,
    `  RTP/JPEG     ${rtp}`,
  ].join("\n");
}

function parseSize(value: string): { width: number; height: number } {
  const match = /^\s*(\d+)\s*x\s*(\d+)\s*$/i.exec(value);
  if (!match) throw new UsageError(`--size must be WIDTHxHEIGHT, e.g. 384x288, got "${value}"`);
  return {
    width: parseInteger("size (width)", match[1], 16, RTP_JPEG_MAX_DIMENSION),
    height: parseInteger("size (height)", match[2], 16, RTP_JPEG_MAX_DIMENSION),
  };
}

const info = defineCommand({
  meta: { name: "info", description: "Print what a movie is made of and whether it can travel as RTP/JPEG" },
  args: { file: { type: "positional", required: true, description: "A movie file (.Mjpeg lab format, .mjpeg) or a folder of .jpg files" } },
  run: ({ args }) =>
    reportingErrors(async () => {
      const movie = await Movie.open(args.file);
      console.log(describeMovie(movie.info()));
    }),
});

const make = defineCommand({
  meta: { name: "make", description: "Generate a sample movie in the lab format (moving picture, frame number drawn large)" },
  args: {
    out: { type: "positional", required: true, description: "Where to write the movie" },
    frames: { type: "string", default: "500", description: "How many frames" },
    size: { type: "string", default: "384x288", description: "Picture size, WIDTHxHEIGHT" },
    quality: { type: "string", default: String(SAMPLE_QUALITY), description: "JPEG quality, 1..100" },
  },
  run: ({ args }) =>
    reportingErrors(async () => {
      const frames = parseInteger("frames", args.frames, 1, 99_999);
      const quality = parseInteger("quality", args.quality, 1, 100);
      const { width, height } = parseSize(args.size);
      let bytes: Uint8Array;
      try {
        bytes = makeSampleMovie({ frames, width, height, quality });
      } catch (error) {
        if (error instanceof RangeError) throw new UsageError(`cannot write ${args.out}: ${error.message}`);
        throw error;
      }
      await Bun.write(args.out, bytes);
      console.log(describeMovie(Movie.fromBytes(bytes, args.out).info()));
    }),
});

const importCommand = defineCommand({
  meta: { name: "import", description: "Write a folder of .jpg files (sorted by name) or a concatenated .mjpeg as a lab-format movie" },
  args: {
    input: { type: "positional", required: true, description: "A folder of .jpg files, or a .mjpeg file" },
    out: { type: "positional", required: true, description: "Where to write the lab-format movie" },
  },
  run: ({ args }) =>
    reportingErrors(async () => {
      const movie = await Movie.open(args.input);
      movie.info(); // inspects every frame, so a corrupt one is named before anything is written
      const frames = Array.from({ length: movie.frameCount }, (_, i) => movie.frame(i));
      const tooLarge = frames.findIndex((frame) => frame.length > LAB_MAX_FRAME_BYTES);
      if (tooLarge >= 0) {
        throw new MovieError(
          `${args.input}: frame ${tooLarge + 1} is ${count(frames[tooLarge].length)} bytes; the lab format holds at most ${count(LAB_MAX_FRAME_BYTES)} per frame`,
        );
      }
      const bytes = encodeLabMovie(frames);
      await Bun.write(args.out, bytes);
      console.log(describeMovie(Movie.fromBytes(bytes, args.out).info()));
    }),
});

export default defineCommand({
  meta: { name: "media", description: "Inspect, generate or convert media" },
  subCommands: { info, make, import: importCommand },
});
