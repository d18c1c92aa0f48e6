/** Errors name the file and, where it applies, the 1-based frame number. */
export class MovieError extends Error {
  override name = "MovieError";
}
