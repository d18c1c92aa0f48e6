// A hand-written SVG of a bench step's timeline: inter-frame interval (against the target period) and deviation
// from the ideal schedule, each as the median and the worst of every stream in the time bucket.
import type { BenchStepReport } from "./bench-run.ts";
import type { TimelinePoint } from "./timeline.ts";

const WIDTH = 900;
const PANEL_HEIGHT = 240;
const MARGIN = { left: 64, right: 24, top: 48, bottom: 40, between: 56 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const HEIGHT = MARGIN.top + 2 * PANEL_HEIGHT + MARGIN.between + MARGIN.bottom;
const COLORS = { p50: "#1f77b4", max: "#d62728", target: "#2ca02c", axis: "#444", grid: "#ddd" };

interface Panel {
  title: string;
  top: number;
  yMin: number;
  yMax: number;
  series: { label: string; color: string; values: (number | null)[] }[];
  reference?: { label: string; value: number };
}

export function renderChartSvg(step: BenchStepReport): string {
  const points = step.timeline;
  const tMax = Math.max(step.windowSeconds, ...points.map((point) => point.t), 1e-3);
  const intervalValues = values(points, "intervalP50", "intervalMax");
  const deviationValues = values(points, "deviationP50", "deviationMax");
  const panels: Panel[] = [
    {
      title: "inter-frame interval (ms)",
      top: MARGIN.top,
      yMin: Math.min(step.periodMs, ...intervalValues) * 0.98,
      yMax: Math.max(step.periodMs, ...intervalValues) * 1.02,
      series: [
        { label: "p50 over streams", color: COLORS.p50, values: points.map((point) => point.intervalP50) },
        { label: "max over streams", color: COLORS.max, values: points.map((point) => point.intervalMax) },
      ],
      reference: { label: `target ${step.periodMs} ms`, value: step.periodMs },
    },
    {
      title: "|arrival − ideal due time| (ms)",
      top: MARGIN.top + PANEL_HEIGHT + MARGIN.between,
      yMin: 0,
      yMax: Math.max(1, ...deviationValues) * 1.05,
      series: [
        { label: "p50 over streams", color: COLORS.p50, values: points.map((point) => point.deviationP50) },
        { label: "max over streams", color: COLORS.max, values: points.map((point) => point.deviationMax) },
      ],
    },
  ];
  const title = `rtsp bench: ${step.streamsPlaying} stream(s), ${step.dialect}/${step.transport}, ${escapeXml(step.url)}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15">${title}</text>`,
    ...panels.map((panel) => renderPanel(panel, points, tMax)),
    `<text x="${MARGIN.left + PLOT_WIDTH / 2}" y="${HEIGHT - 8}" text-anchor="middle">seconds since the measurement window opened</text>`,
    "</svg>",
    "",
  ].join("\n");
}

function values(points: readonly TimelinePoint[], ...keys: (keyof TimelinePoint)[]): number[] {
  return points.flatMap((point) => keys.map((key) => point[key])).filter((value): value is number => typeof value === "number");
}

function renderPanel(panel: Panel, points: readonly TimelinePoint[], tMax: number): string {
  const x = (t: number) => MARGIN.left + (t / tMax) * PLOT_WIDTH;
  const y = (value: number) => panel.top + PANEL_HEIGHT - ((value - panel.yMin) / (panel.yMax - panel.yMin)) * PANEL_HEIGHT;
  const parts: string[] = [`<text x="${MARGIN.left}" y="${panel.top - 8}" font-weight="bold">${panel.title}</text>`];
  for (let tick = 0; tick <= 4; tick++) {
    const value = panel.yMin + ((panel.yMax - panel.yMin) * tick) / 4;
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_WIDTH}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="${COLORS.grid}"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${value.toFixed(value < 10 ? 2 : 1)}</text>`);
    const t = (tMax * tick) / 4;
    parts.push(`<text x="${x(t).toFixed(1)}" y="${panel.top + PANEL_HEIGHT + 16}" text-anchor="middle">${t.toFixed(1)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${panel.top}" width="${PLOT_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="${COLORS.axis}"/>`);
  if (panel.reference) {
    const ry = y(panel.reference.value).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_WIDTH}" y1="${ry}" y2="${ry}" stroke="${COLORS.target}" stroke-dasharray="6 4"/>`);
  }
  panel.series.forEach((series) => {
    const path = points
      .map((point, i) => (series.values[i] === null ? null : `${x(point.t).toFixed(1)},${y(series.values[i]!).toFixed(1)}`))
      .filter((coordinate) => coordinate !== null)
      .join(" ");
    parts.push(`<polyline fill="none" stroke="${series.color}" stroke-width="1.2" points="${path}"/>`);
  });
  const legend = [...panel.series.map((series) => [series.label, series.color]), ...(panel.reference ? [[panel.reference.label, COLORS.target]] : [])];
  legend.forEach(([label, color], i) => {
    const lx = MARGIN.left + PLOT_WIDTH - 170;
    const ly = panel.top + 16 + i * 16;
    parts.push(`<line x1="${lx}" x2="${lx + 20}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 26}" y="${ly}">${label}</text>`);
  });
  return parts.join("\n");
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
