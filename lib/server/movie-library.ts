// The movies a server serves: each opened once and shared by every session, with its RTP form (converted once)
// and each frame's RTP packets built once for all clients.
import { Movie } from "../media/movie.ts";
import { packetizeJpeg } from "../rtp/jpeg-packetizer.ts";
import { RTP_HEADER_BYTES } from "../rtp/packet.ts";
import { MoviePathError, requestedMovieName, resolveMoviePath, type MovieRoot } from "./movie-path.ts";

/** Room before the RTP header for the RFC 2326 §10.12 interleaved frame header (`$`, channel, 16-bit length). */
export const INTERLEAVED_HEADER_BYTES = 4;

/**
 * One RTP packet of a movie frame, built once and shared by every client. Its bytes are the interleaved frame
 * header, the 12-byte RTP header and the payload: a session writes its own headers in place right before it sends
 * (every send copies synchronously into the kernel or the writer's queue), so no packet is assembled per client.
 */
export class SharedPacket {
  /** Interleaved header + RTP header + payload. */
  readonly framed: Uint8Array;
  /** The same bytes from the RTP header on: the UDP datagram. */
  readonly datagram: Uint8Array;

  constructor(buffer: ArrayBuffer, offset: number, payload: Uint8Array) {
    this.framed = new Uint8Array(buffer, offset, INTERLEAVED_HEADER_BYTES + RTP_HEADER_BYTES + payload.length);
    this.datagram = this.framed.subarray(INTERLEAVED_HEADER_BYTES);
    this.datagram.set(payload, RTP_HEADER_BYTES);
  }

  get payloadBytes(): number {
    return this.datagram.length - RTP_HEADER_BYTES;
  }
}

/** A frame's payloads as shared packets, all in one buffer. */
export function sharedPackets(payloads: readonly Uint8Array[]): SharedPacket[] {
  const room = INTERLEAVED_HEADER_BYTES + RTP_HEADER_BYTES;
  let total = 0;
  for (const payload of payloads) total += room + payload.length;
  const buffer = new ArrayBuffer(total);
  const packets: SharedPacket[] = [];
  let offset = 0;
  for (const payload of payloads) {
    packets.push(new SharedPacket(buffer, offset, payload));
    offset += room + payload.length;
  }
  return packets;
}

/** What a session sends for each frame: its packets in order, the last one marked. */
export interface FramePackets {
  readonly frameCount: number;
  packets(index: number): readonly SharedPacket[];
}

/**
 * A movie's frames as shared packets, each built on first use, or all of them ahead of play by `prepare`. Building
 * a frame allocates its packets (RFC 2435 packetization ~0.2 ms a frame); done during a movie's first play, that
 * work and the garbage collections it brings sit in the pacer's way (one stream, six pairs of runs: deviation p50
 * 0.05–0.08 ms prepared against 0.10–0.15 ms building, p99 median 1.55 against 1.78 ms; BENCHMARKS.md).
 */
abstract class BuiltFrames implements FramePackets {
  private readonly built: (SharedPacket[] | undefined)[];
  private preparing: Promise<void> | undefined;

  constructor(readonly frameCount: number) {
    this.built = new Array(frameCount);
  }

  protected abstract build(index: number): SharedPacket[];

  packets(index: number): readonly SharedPacket[] {
    return (this.built[index] ??= this.build(index));
  }

  /**
   * Builds every frame not built yet, one per event-loop turn so that sessions already playing keep their pace.
   * Never rejects: a frame that cannot be built is left to fail where a session reaches it, as it would unprepared.
   */
  prepare(): Promise<void> {
    this.preparing ??= (async () => {
      for (let index = 0; index < this.frameCount; index++) {
        if (this.built[index]) continue;
        try {
          this.packets(index);
        } catch {
          // See above.
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    return this.preparing;
  }
}

/** The lab's RTP: the whole JPEG as the payload of one datagram. */
export class WholeJpegFrames extends BuiltFrames {
  constructor(private readonly movie: Movie) {
    super(movie.frameCount);
  }

  protected build(index: number): SharedPacket[] {
    return sharedPackets([this.movie.frame(index)]);
  }
}

/** RFC 2435 RTP/JPEG packets, shared by every client. */
export class RtpFrames extends BuiltFrames {
  constructor(
    readonly movie: Movie,
    private readonly maxPacket: number,
  ) {
    super(movie.frameCount);
  }

  protected build(index: number): SharedPacket[] {
    return sharedPackets(packetizeJpeg(this.movie.frame(index), { maxPacket: this.maxPacket }));
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
    return this.open(path, name);
  }

  /**
   * A single served file is opened and its RTP packets built before the server takes clients, so no play pays for
   * them. Never rejects: a file that does not open, or cannot be made RFC 2435-ready, is answered at DESCRIBE and
   * SETUP as it would be unprepared. A folder's movies are prepared when a session first sets one up.
   */
  async prepareServedFile(): Promise<void> {
    if (this.root.kind !== "file") return;
    const served = await this.open(this.root.path, this.root.name).catch(() => undefined);
    const frames = await served?.rtpFrames().catch(() => undefined);
    await frames?.prepare();
  }

  private open(path: string, name: string): Promise<ServedMovie> {
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
