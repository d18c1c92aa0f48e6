import { describe, expect, test } from "bun:test";
import { DeadlineHeap, type HeapItem } from "../../lib/server/deadline-heap.ts";

const item = (due: number): HeapItem => ({ due, heapIndex: -1 });

describe("DeadlineHeap", () => {
  test("pops in due order, ties included", () => {
    const heap = new DeadlineHeap<HeapItem>();
    for (const due of [5, 1, 4, 1, 3, 9, 2]) heap.push(item(due));
    const order: number[] = [];
    for (let next = heap.pop(); next; next = heap.pop()) order.push(next.due);
    expect(order).toEqual([1, 1, 2, 3, 4, 5, 9]);
    expect(heap.size).toBe(0);
  });

  test("removes any item, and ignores one it does not hold", () => {
    const heap = new DeadlineHeap<HeapItem>();
    const items = [7, 3, 8, 1, 6].map(item);
    for (const entry of items) heap.push(entry);
    heap.remove(items[1]);
    heap.remove(items[1]);
    heap.remove(item(1));
    expect(items[1].heapIndex).toBe(-1);
    expect(heap.peek()?.due).toBe(1);
    const order: number[] = [];
    for (let next = heap.pop(); next; next = heap.pop()) order.push(next.due);
    expect(order).toEqual([1, 6, 7, 8]);
  });

  test("seeded mix of pushes, removals and pops keeps the order of a sorted list", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const heap = new DeadlineHeap<HeapItem>();
    let model: HeapItem[] = [];
    for (let step = 0; step < 5000; step++) {
      const choice = random();
      if (choice < 0.5) {
        const entry = item(Math.floor(random() * 1000));
        heap.push(entry);
        model.push(entry);
      } else if (choice < 0.75 && model.length > 0) {
        const entry = model[Math.floor(random() * model.length)];
        heap.remove(entry);
        model = model.filter((other) => other !== entry);
      } else {
        const popped = heap.pop();
        const smallest = model.reduce<HeapItem | undefined>((best, entry) => (best === undefined || entry.due < best.due ? entry : best), undefined);
        expect(popped?.due).toBe(smallest?.due);
        model = model.filter((other) => other !== popped);
      }
      expect(heap.size).toBe(model.length);
    }
  });

  test("clear empties it and detaches every item", () => {
    const heap = new DeadlineHeap<HeapItem>();
    const items = [2, 1].map(item);
    for (const entry of items) heap.push(entry);
    heap.clear();
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
    expect(items.every((entry) => entry.heapIndex === -1)).toBe(true);
  });
});
