export interface MicroBatcherOptions {
  // Items per batch; a group larger than this still goes out whole, alone.
  maxBatch: number;
  // Batches running at once. Past it, new work waits and joins the next batch: the busier the
  // server, the larger its batches, and an idle server still answers at once.
  maxInFlight: number;
}

interface Waiting<I, O> {
  items: I[];
  resolve: (results: Array<PromiseSettledResult<O>>) => void;
  reject: (error: unknown) => void;
}

// Gathers work submitted by concurrent requests into batches without a timer: a batch starts on
// the next turn of the event loop when a slot is free (so requests that arrived together go
// together), otherwise as soon as a running batch finishes. `run` answers one settled result
// per item, in order, so that one bad item fails alone.
export class MicroBatcher<I, O> {
  private queue: Array<Waiting<I, O>> = [];
  private queued = 0;
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<Array<PromiseSettledResult<O>>>,
    private readonly options: MicroBatcherOptions,
  ) {}

  // A group's items stay together and in order within one batch.
  submit(items: I[]): Promise<Array<PromiseSettledResult<O>>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.queued += items.length;
      this.schedule();
    });
  }

  get pending(): number {
    return this.queued;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const groups: Array<Waiting<I, O>> = [];
      let size = 0;
      while (this.queue.length > 0 && (groups.length === 0 || size + this.queue[0]!.items.length <= this.options.maxBatch)) {
        const group = this.queue.shift()!;
        groups.push(group);
        size += group.items.length;
      }
      this.queued -= size;
      this.inFlight++;
      void this.execute(groups);
    }
  }

  private async execute(groups: Array<Waiting<I, O>>): Promise<void> {
    try {
      const results = await this.run(groups.flatMap((g) => g.items));
      let offset = 0;
      for (const g of groups) {
        g.resolve(results.slice(offset, offset + g.items.length));
        offset += g.items.length;
      }
    } catch (error) {
      for (const g of groups) g.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
