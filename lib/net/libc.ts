// Linux's socket calls through bun:ffi, for the two things Bun's own UDP sockets cannot ask for: sending a frame as
// one UDP GSO send (the server's RTP socket) and reading the kernel's arrival time of each datagram (the bench's
// measuring sockets). glibc on x86_64 or aarch64 only: elsewhere `libc` is undefined and both stay on Bun's sockets.
import { dlopen, FFIType, ptr, read, type Pointer } from "bun:ffi";

export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_DGRAM = 2;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const MSG_PEEK = 0x2;
export const MSG_DONTWAIT = 0x40;
export const EAGAIN = 11;

// struct msghdr and iovec on LP64 Linux (x86_64, aarch64).
export const MSGHDR_BYTES = 56;
export const IOVEC_BYTES = 16;
/** Where a control message's data starts: the cmsghdr (size_t length, int level, int type) rounded to 8. */
export const CMSG_HEADER_BYTES = 16;

const ERRNO_NAMES: Record<number, string> = {
  [EAGAIN]: "EAGAIN",
  13: "EACCES",
  22: "EINVAL",
  97: "EAFNOSUPPORT",
  98: "EADDRINUSE",
  99: "EADDRNOTAVAIL",
};

function loadLibc() {
  if (process.platform !== "linux" || (process.arch !== "x64" && process.arch !== "arm64")) return undefined;
  try {
    return dlopen("libc.so.6", {
      socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
      bind: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
      connect: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
      getsockname: { args: [FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
      setsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
      sendmsg: { args: [FFIType.i32, FFIType.ptr, FFIType.i32], returns: FFIType.i64_fast },
      recvmmsg: { args: [FFIType.i32, FFIType.ptr, FFIType.u32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
      close: { args: [FFIType.i32], returns: FFIType.i32 },
      inet_pton: { args: [FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
      epoll_create1: { args: [FFIType.i32], returns: FFIType.i32 },
      epoll_ctl: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
      epoll_wait: { args: [FFIType.i32, FFIType.ptr, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
      clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
      __errno_location: { args: [], returns: FFIType.ptr },
    }).symbols;
  } catch {
    return undefined; // not glibc (musl names its libc differently) or no FFI
  }
}

export const libc = loadLibc();

/** The calling thread's errno, right after a call that failed. */
export function errno(): number {
  return read.i32(libc!.__errno_location() as Pointer, 0);
}

/** An Error with a `code` (EADDRINUSE, EINVAL…), as Bun's and Node's socket errors have. */
export function codedError(message: string, code: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/** The failed call's errno as a coded Error. */
export function socketError(call: string): Error & { code: string } {
  const number = errno();
  const code = ERRNO_NAMES[number] ?? `errno ${number}`;
  return codedError(`${call} ${code}`, code);
}

/** A sockaddr_in or sockaddr_in6 for an IP literal; undefined when it is not one. Byte 0 holds the family. */
export function socketAddress(address: string, port: number): Uint8Array | undefined {
  const family = address.includes(":") ? AF_INET6 : AF_INET;
  const bytes = new Uint8Array(family === AF_INET ? 16 : 28);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, family, true);
  view.setUint16(2, port, false);
  const literal = Buffer.from(`${address}\0`);
  if (libc!.inet_pton(family, ptr(literal), ptr(bytes, family === AF_INET ? 4 : 8)) !== 1) return undefined;
  return bytes;
}

/**
 * A non-blocking UDP socket bound to `address` (from socketAddress; port 0 = any); returns its descriptor and the
 * port it got. Throws an Error whose `code` names the failure (`EADDRINUSE` for a taken port).
 */
export function openUdpSocket(address: Uint8Array): { fd: number; port: number } {
  const fd = libc!.socket(address[0], SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw socketError("socket");
  try {
    if (libc!.bind(fd, ptr(address), address.length) < 0) throw socketError("bind");
    const bound = new Uint8Array(28);
    const length = new Uint32Array([bound.length]);
    if (libc!.getsockname(fd, ptr(bound), ptr(length)) < 0) throw socketError("getsockname");
    return { fd, port: (bound[2] << 8) | bound[3] };
  } catch (error) {
    libc!.close(fd);
    throw error;
  }
}

/** Writes a 64-bit address into a Uint32Array at `index` (little-endian halves), without a BigInt per call. */
export function writePointer(words: Uint32Array, index: number, address: number): void {
  words[index] = address >>> 0;
  words[index + 1] = Math.floor(address / 0x1_0000_0000);
}
