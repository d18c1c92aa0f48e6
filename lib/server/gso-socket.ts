// A connected UDP socket opened through libc, so that a frame's packets leave as one UDP GSO send (Linux 4.18+,
// `UDP_SEGMENT`): the kernel takes the frame's datagrams in one sendmsg, walks the network stack once and cuts them
// apart at the end, instead of once per datagram as sendmmsg does. RTP/JPEG suits it: every packet of a frame but
// the last is exactly the largest packet size. At 1000 streams over loopback it takes about a quarter off the
// server's CPU (BENCHMARKS.md, seventh round). Bun's UDP API cannot ask for it, hence bun:ffi. Where there is no
// glibc, or `open` cannot take the addresses, the transport stays on Bun's sockets; a kernel, route or device that
// refuses GSO at send time (EINVAL on an old kernel, EIO from a device without checksum offload) turns it off for
// that socket, and the datagrams go one sendmsg each.
import { ptr, type Pointer } from "bun:ffi";
import { codedError, errno, IOVEC_BYTES, libc, MSG_DONTWAIT, MSGHDR_BYTES, openUdpSocket, socketAddress, socketError, writePointer } from "../net/libc.ts";

const SOL_UDP = 17;
const UDP_SEGMENT = 103;
/** errno values that mean "not with GSO" rather than "not now". */
const GSO_REFUSED = new Set([5 /* EIO */, 22 /* EINVAL */, 90 /* EMSGSIZE */, 92 /* ENOPROTOOPT */, 95 /* EOPNOTSUPP */]);

/** The kernel's UDP_MAX_SEGMENTS as GSO came with it (later kernels allow more), and the largest UDP payload over IPv4. */
const MAX_SEGMENTS = 64;
const MAX_GSO_BYTES = 65_507;

/** The UDP_SEGMENT control message: a cmsghdr and a u16 segment size. */
const CMSG_SPACE_U16 = 24;
const CMSG_LEN_U16 = 18;

/** True where GSO sockets can be opened at all (Linux with glibc); `open` can still fail for a given address. */
export const gsoSupported = libc !== undefined;

export class GsoSocket {
  // The message header, its iovecs and the UDP_SEGMENT control message, reused for every send. Each over an
  // ArrayBuffer of its own: a small typed array made without one keeps its bytes where the engine may move them
  // (reading its `.buffer` does), and the header holds the others' addresses.
  private readonly header = new Uint8Array(new ArrayBuffer(MSGHDR_BYTES));
  private readonly iovecs = new Uint32Array(new ArrayBuffer(MAX_SEGMENTS * IOVEC_BYTES));
  private readonly control = new Uint8Array(new ArrayBuffer(CMSG_SPACE_U16));
  private readonly headerPointer: Pointer;
  private descriptor: number;
  private gsoRefused = false;

  private constructor(
    fd: number,
    readonly port: number,
  ) {
    this.descriptor = fd;
    const header = new DataView(this.header.buffer);
    header.setBigUint64(16, BigInt(ptr(this.iovecs)), true);
    header.setBigUint64(32, BigInt(ptr(this.control)), true);
    const control = new DataView(this.control.buffer);
    control.setBigUint64(0, BigInt(CMSG_LEN_U16), true);
    control.setInt32(8, SOL_UDP, true);
    control.setInt32(12, UDP_SEGMENT, true);
    this.headerPointer = ptr(this.header);
  }

  /**
   * A UDP socket bound to `hostname:port` (0 = any) and connected to `remote`. Throws an Error whose `code` names
   * the failure (`EADDRINUSE` for a taken port, as Bun's sockets do).
   */
  static open(hostname: string, port: number, remote: { address: string; port: number }): GsoSocket {
    if (!libc) throw codedError("UDP GSO needs Linux with glibc", "ENOTSUP");
    const local = socketAddress(hostname, port);
    const peer = socketAddress(remote.address, remote.port);
    if (!local || !peer || local[0] !== peer[0]) {
      throw codedError(`not an address pair for one socket: ${hostname} → ${remote.address}`, "EINVAL");
    }
    const { fd, port: boundPort } = openUdpSocket(local);
    if (libc.connect(fd, ptr(peer), peer.length) < 0) {
      const error = socketError("connect");
      libc.close(fd);
      throw error;
    }
    return new GsoSocket(fd, boundPort);
  }

  get closed(): boolean {
    return this.descriptor < 0;
  }

  /** The socket's file descriptor; -1 once closed. */
  get fd(): number {
    return this.descriptor;
  }

  /** False once the kernel or the route refused GSO: the datagrams then go one sendmsg each. */
  get segmenting(): boolean {
    return !this.gsoRefused;
  }

  /**
   * Sends the datagrams in order. Runs of equal-size datagrams (the run's last may be shorter) go as one GSO send.
   * Like Bun's UDP sockets, a full send buffer or an ICMP error from a client gone away loses the datagrams silently:
   * UDP promises no more, and the session's timeout ends a session whose client left.
   */
  send(datagrams: readonly Uint8Array[]): void {
    let start = 0;
    while (start < datagrams.length && this.descriptor >= 0) {
      const size = datagrams[start].length;
      let end = start + 1;
      let bytes = size;
      while (
        !this.gsoRefused &&
        end < datagrams.length &&
        end - start < MAX_SEGMENTS &&
        datagrams[end - 1].length === size &&
        datagrams[end].length <= size &&
        bytes + datagrams[end].length <= MAX_GSO_BYTES
      ) {
        bytes += datagrams[end].length;
        end++;
      }
      if (!this.sendRun(datagrams, start, end, size)) {
        this.gsoRefused = true; // and send this run again, one datagram at a time
        continue;
      }
      start = end;
    }
  }

  /** One sendmsg of datagrams[start, end), segmented at `size` when more than one. False only when GSO was refused. */
  private sendRun(datagrams: readonly Uint8Array[], start: number, end: number, size: number): boolean {
    const iovecs = this.iovecs;
    for (let i = start, at = 0; i < end; i++, at += IOVEC_BYTES / 4) {
      writePointer(iovecs, at, ptr(datagrams[i]));
      iovecs[at + 2] = datagrams[i].length;
      iovecs[at + 3] = 0;
    }
    const header = this.header;
    header[24] = end - start; // msg_iovlen (at most MAX_SEGMENTS, so its low byte)
    const segmented = end - start > 1;
    header[40] = segmented ? CMSG_SPACE_U16 : 0; // msg_controllen
    if (segmented) {
      this.control[16] = size & 0xff;
      this.control[17] = size >>> 8;
    }
    if (libc!.sendmsg(this.descriptor, this.headerPointer, MSG_DONTWAIT) >= 0) return true;
    return !(segmented && GSO_REFUSED.has(errno()));
  }

  close(): void {
    if (this.descriptor < 0) return;
    libc!.close(this.descriptor);
    this.descriptor = -1;
  }
}
