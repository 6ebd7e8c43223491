export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

// Repeat "typing" this often while the agent keeps typing (the customer's indicator goes out
// by itself after a while without news), and say "stopped" after this long without a keystroke.
export const TYPING_REPEAT_MS = 3000;
export const TYPING_IDLE_MS = 2500;

// The agent's typing indicator for one case, from the composer's keystrokes: "typing" at the
// first keystroke and again at most every TYPING_REPEAT_MS while keystrokes go on; "stopped" once
// idle, when the text is emptied, or when the composer loses the focus, sends or goes away.
export class TypingSignal {
  private sentAt: number | null = null;
  private idle: unknown = null;

  constructor(
    private readonly emit: (typing: boolean) => void,
    private readonly clock: Clock = browserClock,
  ) {}

  // A change of the composer's text while it has the focus.
  input(hasText: boolean): void {
    if (!hasText) return this.stop();
    const now = this.clock.now();
    if (this.sentAt === null || now - this.sentAt >= TYPING_REPEAT_MS) {
      this.sentAt = now;
      this.emit(true);
    }
    this.clearIdle();
    this.idle = this.clock.setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  stop(): void {
    this.clearIdle();
    if (this.sentAt === null) return;
    this.sentAt = null;
    this.emit(false);
  }

  private clearIdle(): void {
    if (this.idle !== null) this.clock.clearTimeout(this.idle);
    this.idle = null;
  }
}
