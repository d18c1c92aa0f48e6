// The movies a server serves: each opened once and shared by every session, with its RTP form (converted once)
// and each frame's RFC 2435 payloads built once for all clients.
import { Movie } from "../media/movie.ts";
import { packetizeJpeg } from "../rtp/jpeg-packetizer.ts";
import { MoviePathError, requestedMovieName, resolveMoviePath, type MovieRoot } from "./movie-path.ts";

/** What a session sends for each frame: one RTP payload per packet, the last one marked. */
export interface FramePayloads {
  readonly frameCount: number;
  payloads(index: number): Uint8Array[];
}

/** The lab's RTP: the whole JPEG as the payload of one datagram. */
export class WholeJpegFrames implements FramePayloads {
  constructor(private readonly movie: Movie) {}

  get frameCount(): number {
    return this.movie.frameCount;
  }

  payloads(index: number): Uint8Array[] {
    return [this.movie.frame(index)];
  }
}

/** RFC 2435 RTP/JPEG payloads, built on first use and shared by every client. */
export class RtpFrames implements FramePayloads {
  private readonly packets: (Uint8Array[] | undefined)[];

  constructor(
    readonly movie: Movie,
    private readonly maxPacket: number,
  ) {
    this.packets = new Array(movie.frameCount);
  }

  get frameCount(): number {
    return this.movie.frameCount;
  }

  payloads(index: number): Uint8Array[] {
    return (this.packets[index] ??= packetizeJpeg(this.movie.frame(index), { maxPacket: this.maxPacket }));
  }
}

export class ServedMovie {
  private rtp?: Promise<RtpFrames>;
  readonly wholeFrames: WholeJpegFrames;

  constructor(
    /** The name it is served under (relative to the root). */
    readonly name: string,
    readonly movie: Movie,
    private readonly maxPacket: number,
  ) {
    this.wholeFrames = new WholeJpegFrames(movie);
  }

  /** Rejects with the media module's MovieError when the movie cannot be made RFC 2435-ready. */
  rtpFrames(): Promise<RtpFrames> {
    this.rtp ??= this.movie.forRtp().then((converted) => new RtpFrames(converted, this.maxPacket));
    return this.rtp;
  }
}

export class MovieLibrary {
  private readonly opened = new Map<string, Promise<ServedMovie>>();

  constructor(
    readonly root: MovieRoot,
    private readonly maxPacket: number,
  ) {}

  /** The movie a request URI names; MoviePathError (400/404) for names it refuses. Open failures reject. */
  async find(uri: string): Promise<ServedMovie | MoviePathError> {
    const name = requestedMovieName(uri);
    if (name instanceof MoviePathError) return name;
    const path = await resolveMoviePath(this.root, name);
    if (path instanceof MoviePathError) return path;
    let served = this.opened.get(path);
    if (!served) {
      served = Movie.open(path).then((movie) => new ServedMovie(name, movie, this.maxPacket));
      this.opened.set(path, served);
      // A file that failed to open may be fixed on disk; do not cache the failure.
      served.catch(() => this.opened.delete(path));
    }
    return served;
  }
}
