// The measuring clients' UDP sockets, each datagram stamped by the kernel as it reaches the socket (SO_TIMESTAMPNS).
// Stamped in JavaScript instead, a frame's arrival is when the measuring process got round to it: its wake-up, its
// garbage collections and the other streams' callbacks ahead of it all count as the server's deviation. Over
// loopback a bare sender measured that way never got below ~1 ms p99 on this 2-core machine, while tcpdump showed
// its sends within 0.13 ms (BENCHMARKS.md, eighth round). With the kernel's time the reading can wait: one epoll
// set, drained every few milliseconds, reads every socket's queue with recvmmsg, keeping only each datagram's first
// bytes (the RTP header is all the bench looks at) and its time. The same set times a PLAY reply on the RTSP
// connection (nextArrival), so that "first frame after the reply" compares two kernel times.
import { ptr, type Pointer } from "bun:ffi";
import type { DatagramHandler, ReceiveSocket } from "./udp-ports.ts";
import { CMSG_HEADER_BYTES, codedError, EAGAIN, errno, IOVEC_BYTES, libc, MSG_DONTWAIT, MSG_PEEK, MSGHDR_BYTES, openUdpSocket, SOL_SOCKET, socketAddress, socketError, writePointer } from "../net/libc.ts";

const SO_TIMESTAMPNS = 35;
const SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
const CLOCK_REALTIME = 0;
const EPOLL_CLOEXEC = 0o2000000;
const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLLIN = 1;
/** struct epoll_event is packed on x86_64 (u32 events, u64 data: 12 bytes) and naturally aligned on aarch64 (16). */
const EPOLL_EVENT_BYTES = process.arch === "x64" ? 12 : 16;
const EPOLL_DATA_OFFSET = process.arch === "x64" ? 4 : 8;
const MAX_EVENTS = 256;
/** Datagrams per recvmmsg: a frame of the bundled movie is 5 to 9. */
const BATCH = 64;
/** struct mmsghdr: a msghdr and the datagram's length, padded to 8. */
const MMSGHDR_BYTES = MSGHDR_BYTES + 8;
/** Bytes kept of each datagram (the handler's view): the RTP fixed header and a little more. The rest is dropped. */
export const HEAD_BYTES = 16;
/** CMSG_SPACE(sizeof(struct timespec)). */
const CONTROL_BYTES = CMSG_HEADER_BYTES + 16;
const DEFAULT_POLL_MS = 5;

/** Every buffer the kernel writes into, each over an ArrayBuffer of its own so its address stays put. */
class ReceiveBuffers {
  readonly messages = new Uint32Array(new ArrayBuffer(BATCH * MMSGHDR_BYTES));
  readonly heads = new Uint8Array(new ArrayBuffer(BATCH * HEAD_BYTES));
  readonly controls = new Uint32Array(new ArrayBuffer(BATCH * CONTROL_BYTES));
  private readonly iovecs = new Uint32Array(new ArrayBuffer(BATCH * IOVEC_BYTES));
  /** One view per slot for a whole head, so a full-size datagram costs no allocation. */
  readonly headViews: Uint8Array[] = [];
  readonly messagesPointer: Pointer;

  constructor() {
    const headsAt = ptr(this.heads);
    const iovecsAt = ptr(this.iovecs);
    const controlsAt = ptr(this.controls);
    for (let i = 0; i < BATCH; i++) {
      writePointer(this.iovecs, (i * IOVEC_BYTES) / 4, headsAt + i * HEAD_BYTES);
      this.iovecs[(i * IOVEC_BYTES) / 4 + 2] = HEAD_BYTES;
      const message = (i * MMSGHDR_BYTES) / 4;
      writePointer(this.messages, message + 4, iovecsAt + i * IOVEC_BYTES); // msg_iov
      this.messages[message + 6] = 1; // msg_iovlen
      writePointer(this.messages, message + 8, controlsAt + i * CONTROL_BYTES); // msg_control
      this.headViews.push(new Uint8Array(this.heads.buffer, i * HEAD_BYTES, HEAD_BYTES));
    }
    this.messagesPointer = ptr(this.messages);
  }

  /** The kernel overwrites msg_controllen with what it wrote: give every slot its whole control buffer back. */
  resetControls(): void {
    for (let slot = 0; slot < BATCH; slot++) this.messages[(slot * MMSGHDR_BYTES) / 4 + 10] = CONTROL_BYTES;
  }

  /** The bytes received into a slot (at most HEAD_BYTES). */
  length(slot: number): number {
    return this.messages[(slot * MMSGHDR_BYTES + MSGHDR_BYTES) / 4];
  }

  /** The slot's SCM_TIMESTAMPNS as ms on CLOCK_REALTIME, or undefined when the kernel gave none. */
  stampMs(slot: number): number | undefined {
    if (this.messages[(slot * MMSGHDR_BYTES) / 4 + 10] < CONTROL_BYTES) return undefined;
    const control = (slot * CONTROL_BYTES) / 4;
    if (this.controls[control + 2] !== SOL_SOCKET || this.controls[control + 3] !== SCM_TIMESTAMPNS) return undefined;
    const seconds = this.controls[control + 4] + this.controls[control + 5] * 0x1_0000_0000;
    return seconds * 1000 + this.controls[control + 6] / 1e6;
  }
}

export class KernelStampedSockets {
  /** Linux with glibc: the only place these sockets can be opened. */
  static readonly supported = libc !== undefined;

  private epoll = -1;
  private readonly handlers = new Map<number, DatagramHandler>();
  /** TCP sockets waiting for their next bytes' arrival time (nextArrival). */
  private readonly peeks = new Map<number, (arrivalMs: number | undefined) => void>();
  private buffers: ReceiveBuffers | undefined;
  private readonly events = new DataView(new ArrayBuffer(MAX_EVENTS * EPOLL_EVENT_BYTES));
  private readonly eventsPointer = ptr(this.events);
  /** A struct timespec for clock_gettime. */
  private readonly now = new Uint32Array(new ArrayBuffer(16));
  private readonly nowPointer = ptr(this.now);
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly pollMs = DEFAULT_POLL_MS) {}

  /**
   * A UDP socket on `hostname`:`port` (an IP literal; port 0 = any) whose datagrams reach `onDatagram` with their
   * kernel arrival time, on the performance.now() clock, at the next drain. Throws an Error whose `code` names the
   * failure (`EADDRINUSE` for a taken port).
   */
  bind(hostname: string, port: number, onDatagram: DatagramHandler): ReceiveSocket {
    if (!libc) throw codedError("kernel arrival times need Linux with glibc", "ENOTSUP");
    const address = socketAddress(hostname, port);
    if (!address) throw codedError(`not an IP address: ${hostname}`, "EINVAL");
    const { fd, port: boundPort } = openUdpSocket(address);
    this.endPeek(fd, undefined); // the number of a TCP socket that closed while peeked at, now reused
    try {
      this.watch(fd);
    } catch (error) {
      libc.close(fd);
      throw error;
    }
    this.handlers.set(fd, onDatagram);
    let open = true;
    return {
      port: boundPort,
      close: () => {
        if (!open) return;
        open = false;
        this.handlers.delete(fd);
        libc!.close(fd); // also takes it out of the epoll set
        this.releaseEpollIfIdle();
      },
    };
  }

  /**
   * The kernel's arrival time of the next bytes on a connected TCP socket that someone else reads (Bun's), on the
   * performance.now() clock; undefined when none come within `timeoutMs` or the time cannot be read. The bytes are
   * only peeked at (MSG_PEEK) and stay queued: the owner must not read them until this settles (Bun: `pause()`).
   */
  nextArrival(fd: number, timeoutMs: number): Promise<number | undefined> {
    if (!libc || this.peeks.has(fd)) return Promise.resolve(undefined);
    try {
      this.watch(fd);
    } catch {
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.endPeek(fd, undefined), timeoutMs);
      this.peeks.set(fd, (arrivalMs) => {
        clearTimeout(timer);
        resolve(arrivalMs);
      });
    });
  }

  /** SO_TIMESTAMPNS on, and into the epoll set (made on first use, with its drain timer). */
  private watch(fd: number): void {
    if (this.epoll < 0) {
      this.epoll = libc!.epoll_create1(EPOLL_CLOEXEC);
      if (this.epoll < 0) throw socketError("epoll_create1");
      this.buffers ??= new ReceiveBuffers();
      this.timer = setInterval(() => this.drain(), this.pollMs);
    }
    const event = new DataView(new ArrayBuffer(16));
    event.setUint32(0, EPOLLIN, true);
    event.setUint32(EPOLL_DATA_OFFSET, fd, true);
    const on = new Int32Array(new ArrayBuffer(4)).fill(1);
    if (libc!.setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, ptr(on), 4) < 0) throw this.failWatch("SO_TIMESTAMPNS");
    if (libc!.epoll_ctl(this.epoll, EPOLL_CTL_ADD, fd, ptr(event)) < 0) throw this.failWatch("epoll_ctl");
  }

  private failWatch(call: string): Error {
    const error = socketError(call);
    this.releaseEpollIfIdle();
    return error;
  }

  /** Reads every datagram queued now on every socket: call it before reading results, so none is left behind. */
  drain(): void {
    if (this.epoll < 0) return;
    // Read next to the datagrams: CLOCK_REALTIME may be slewed while the bench runs, performance.now() is not.
    libc!.clock_gettime(CLOCK_REALTIME, this.nowPointer);
    const realtimeOffsetMs = (this.now[0] + this.now[1] * 0x1_0000_0000) * 1000 + this.now[2] / 1e6 - performance.now();
    for (;;) {
      const ready = libc!.epoll_wait(this.epoll, this.eventsPointer, MAX_EVENTS, 0);
      for (let i = 0; i < ready; i++) {
        const fd = this.events.getUint32(i * EPOLL_EVENT_BYTES + EPOLL_DATA_OFFSET, true);
        if (this.peeks.has(fd)) this.peek(fd, realtimeOffsetMs);
        else this.readSocket(fd, realtimeOffsetMs);
      }
      if (ready < MAX_EVENTS) return;
    }
  }

  private readSocket(fd: number, realtimeOffsetMs: number): void {
    const buffers = this.buffers!;
    const handler = this.handlers.get(fd);
    if (!handler) return; // closed by a handler earlier in this drain
    for (;;) {
      buffers.resetControls();
      const count = libc!.recvmmsg(fd, buffers.messagesPointer, BATCH, MSG_DONTWAIT, null);
      for (let slot = 0; slot < count; slot++) {
        // A handler may close its socket (and a new one take the descriptor): nothing more goes to it.
        if (this.handlers.get(fd) !== handler) return;
        const length = buffers.length(slot);
        const stampMs = buffers.stampMs(slot);
        // Every datagram carries a stamp once SO_TIMESTAMPNS is on; the fallback is the reading time.
        const arrivalMs = stampMs === undefined ? performance.now() : stampMs - realtimeOffsetMs;
        handler(length === HEAD_BYTES ? buffers.headViews[slot] : buffers.heads.subarray(slot * HEAD_BYTES, slot * HEAD_BYTES + length), arrivalMs);
      }
      if (count < BATCH) return;
    }
  }

  /** The first queued segment's time, its bytes left where they are. */
  private peek(fd: number, realtimeOffsetMs: number): void {
    const buffers = this.buffers!;
    buffers.resetControls();
    const count = libc!.recvmmsg(fd, buffers.messagesPointer, 1, MSG_PEEK | MSG_DONTWAIT, null);
    if (count < 0 && errno() === EAGAIN) return; // woken for nothing: wait on
    const stampMs = count === 1 ? buffers.stampMs(0) : undefined;
    this.endPeek(fd, stampMs === undefined ? undefined : stampMs - realtimeOffsetMs);
  }

  private endPeek(fd: number, arrivalMs: number | undefined): void {
    const settle = this.peeks.get(fd);
    if (!settle) return;
    this.peeks.delete(fd);
    libc!.epoll_ctl(this.epoll, EPOLL_CTL_DEL, fd, this.eventsPointer);
    this.releaseEpollIfIdle();
    settle(arrivalMs);
  }

  private releaseEpollIfIdle(): void {
    if (this.handlers.size > 0 || this.peeks.size > 0 || this.epoll < 0) return;
    clearInterval(this.timer);
    libc!.close(this.epoll);
    this.epoll = -1;
  }
}
