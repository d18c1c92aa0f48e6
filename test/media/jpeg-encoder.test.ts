import { describe, expect, test } from "bun:test";
import jpeg from "jpeg-js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeJpeg, encodeJpeg420 } from "../../lib/media/jpeg-encoder.ts";
import { inspectJpeg } from "../../lib/media/jpeg-info.ts";
import { scaledQuantTables } from "../../lib/media/jpeg-tables.ts";
import { classicFrames } from "../fixtures/classic-movie.ts";
import { cleanUpAfterEachTest } from "../support/clean-up-after-each-test.ts";
import { psnr, testPattern } from "./images.ts";

const cleanUp = cleanUpAfterEachTest();
const decode = (bytes: Uint8Array) => jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });

describe("encodeJpeg420", () => {
  test("writes baseline 4:2:0 with the standard Huffman tables, JFIF, RTP type 1", () => {
    const bytes = encodeJpeg420(testPattern(96, 64), 96, 64, 80);
    expect(inspectJpeg(bytes)).toMatchObject({
      width: 96,
      height: 64,
      precision: 8,
      baseline: true,
      components: 3,
      componentIds: [1, 2, 3],
      sampling: "4:2:0",
      samplingFactors: [{ h: 2, v: 2 }, { h: 1, v: 1 }, { h: 1, v: 1 }],
      componentQuantIds: [0, 1, 1],
      standardHuffman: true,
      hasJfif: true,
      hasEoi: true,
      restartInterval: 0,
      rtpType: 1,
    });
  });

  test.each([50, 75, 90])("quality %d writes the Annex K tables scaled the IJG way", (quality) => {
    const info = inspectJpeg(encodeJpeg420(testPattern(16, 16), 16, 16, quality));
    const expected = scaledQuantTables(quality);
    expect(info.quantTables[0]).toEqual(expected.luminance);
    expect(info.quantTables[1]).toEqual(expected.chrominance);
  });

  test.each([
    [384, 288, 85, 40],
    [97, 61, 85, 38], // not a multiple of the 16-pixel MCU: edges replicated into the padding
    [1, 1, 85, 40],
    [384, 288, 30, 33],
  ])("%dx%d at quality %d decodes with jpeg-js to within PSNR %d dB of the input", (width, height, quality, minimum) => {
    const rgba = testPattern(width, height);
    const decoded = decode(encodeJpeg420(rgba, width, height, quality));
    expect([decoded.width, decoded.height]).toEqual([width, height]);
    expect(psnr(rgba, decoded.data)).toBeGreaterThan(minimum);
  });

  test("a higher quality gives a closer picture and more bytes", () => {
    const rgba = testPattern(128, 96);
    const low = encodeJpeg420(rgba, 128, 96, 40);
    const high = encodeJpeg420(rgba, 128, 96, 90);
    expect(high.length).toBeGreaterThan(low.length);
    expect(psnr(rgba, decode(high).data)).toBeGreaterThan(psnr(rgba, decode(low).data) + 4);
  });

  test("every 0xFF in the entropy-coded data is stuffed with 0x00", () => {
    const bytes = encodeJpeg420(testPattern(384, 288), 384, 288, 95);
    const { scanStart, scanEnd } = inspectJpeg(bytes);
    let ffs = 0;
    for (let i = scanStart; i < scanEnd; i++) {
      if (bytes[i] !== 0xff) continue;
      ffs++;
      expect(bytes[i + 1]).toBe(0);
    }
    expect(ffs).toBeGreaterThan(0);
  });

  test("re-encoding a classic 4:4:4 frame keeps it close to the source", () => {
    const source = decode(classicFrames()[0]);
    const reencoded = decode(encodeJpeg420(source.data, source.width, source.height, 80));
    expect(psnr(source.data, reencoded.data)).toBeGreaterThan(33);
  });

  test("ffmpeg decodes the output as yuvj420p", async () => {
    const folder = cleanUp.scratchFolder("rtsp-encoder-");
    const path = join(folder, "frame.jpg");
    writeFileSync(path, encodeJpeg420(testPattern(97, 61), 97, 61, 75));
    const probe = Bun.spawnSync(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,pix_fmt,width,height", "-of", "csv=p=0", path]);
    expect(probe.stdout.toString().trim()).toBe("mjpeg,97,61,yuvj420p");
    const decodeRun = Bun.spawnSync(["ffmpeg", "-v", "error", "-xerror", "-i", path, "-f", "null", "-"]);
    expect(decodeRun.exitCode).toBe(0);
    expect(decodeRun.stderr.toString()).toBe("");
  });

  test("rejects an empty picture and a short buffer", () => {
    expect(() => encodeJpeg420(new Uint8Array(0), 0, 10, 75)).toThrow(RangeError);
    expect(() => encodeJpeg420(new Uint8Array(10), 4, 4, 75)).toThrow("expected 64 RGBA bytes, got 10");
  });
});

describe("encodeJpeg 4:4:4", () => {
  test("writes the component ids and sampling asked for, without JFIF", () => {
    const bytes = encodeJpeg(testPattern(40, 24), 40, 24, { sampling: "4:4:4", quality: 50, componentIds: [0, 1, 2], jfif: false });
    const info = inspectJpeg(bytes);
    expect(info).toMatchObject({ sampling: "4:4:4", componentIds: [0, 1, 2], hasJfif: false, standardHuffman: true });
    expect(info.notTransportable).toStartWith("4:4:4 chroma sampling");
    expect(psnr(testPattern(40, 24), decode(bytes).data)).toBeGreaterThan(28);
  });
});
