// RTP sequence numbers are 16-bit and wrap: compare them modulo 2^16.
export const SEQUENCE_MODULUS = 0x10000;

/** Signed distance from `from` to `to`, in -32768..32767: positive when `to` comes later. */
export function sequenceDistance(from: number, to: number): number {
  return (((to - from) & 0xffff) << 16) >> 16;
}
