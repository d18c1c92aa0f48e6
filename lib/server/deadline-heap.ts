// A binary min-heap of items ordered by `due`. Each item remembers its slot, so removing one (a session that
// stops) costs O(log n) instead of a scan; the pacer keeps one item per playing session.

export interface HeapItem {
  due: number;
  /** Position in the heap's array; -1 while the item is not in a heap. */
  heapIndex: number;
}

export class DeadlineHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.siftUp(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes the item if it is in this heap; does nothing otherwise. */
  remove(item: T): void {
    const index = item.heapIndex;
    if (index >= 0 && this.items[index] === item) this.removeAt(index);
  }

  clear(): void {
    for (const item of this.items) item.heapIndex = -1;
    this.items.length = 0;
  }

  private removeAt(index: number): void {
    const removed = this.items[index];
    const last = this.items.pop()!;
    removed.heapIndex = -1;
    if (last === removed) return;
    this.items[index] = last;
    last.heapIndex = index;
    this.siftDown(index);
    this.siftUp(last.heapIndex);
  }

  private siftUp(index: number): void {
    const item = this.items[index];
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.items[parentIndex];
      if (parent.due <= item.due) break;
      this.items[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    this.items[index] = item;
    item.heapIndex = index;
  }

  private siftDown(index: number): void {
    const count = this.items.length;
    const item = this.items[index];
    for (;;) {
      let child = 2 * index + 1;
      if (child >= count) break;
      if (child + 1 < count && this.items[child + 1].due < this.items[child].due) child++;
      const smaller = this.items[child];
      if (smaller.due >= item.due) break;
      this.items[index] = smaller;
      smaller.heapIndex = index;
      index = child;
    }
    this.items[index] = item;
    item.heapIndex = index;
  }
}
