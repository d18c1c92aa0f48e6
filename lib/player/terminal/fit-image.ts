// Where a picture goes in the terminal. A half-block cell shows two stacked pixels, and a cell is about twice as
// tall as it is wide, so one pixel per column and two per row keeps the picture's aspect.

export interface FittedImage {
  /** Picture width in pixels = columns used. */
  pixelWidth: number;
  /** Picture height in pixels, always even (two per cell row). */
  pixelHeight: number;
  columns: number;
  rows: number;
}

/** The largest size of a width × height picture that fits columns × rows cells, never enlarged; at least one cell. */
export function fitImage(width: number, height: number, columns: number, rows: number): FittedImage {
  const scale = Math.min(1, columns / width, (2 * rows) / height);
  const pixelWidth = Math.max(1, Math.min(columns, Math.round(width * scale)));
  const cellRows = Math.max(1, Math.min(rows, Math.round((height * scale) / 2)));
  return { pixelWidth, pixelHeight: 2 * cellRows, columns: pixelWidth, rows: cellRows };
}
