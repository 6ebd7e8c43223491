import { describe, expect, it } from '@jest/globals';
import { type Clock, TYPING_IDLE_MS, TYPING_REPEAT_MS, TypingSignal } from './typing-signal';

// A clock the test moves by hand.
class ManualClock implements Clock {
  private time = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private next = 1;

  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const handle = this.next++;
    this.timers.set(handle, { at: this.time + ms, callback });
    return handle;
  };
  clearTimeout = (handle: unknown) => {
    this.timers.delete(handle as number);
  };

  advance(ms: number): void {
    this.time += ms;
    for (const [handle, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.time) continue;
      this.timers.delete(handle);
      timer.callback();
    }
  }
}

function signal() {
  const clock = new ManualClock();
  const sent: boolean[] = [];
  return { clock, sent, typing: new TypingSignal((typing) => sent.push(typing), clock) };
}

describe('TypingSignal', () => {
  it('says "typing" at the first keystroke, then at most every few seconds while keystrokes go on', () => {
    const { clock, sent, typing } = signal();
    typing.input(true);
    expect(sent).toEqual([true]);
    for (let i = 0; i < 10; i++) {
      clock.advance(TYPING_REPEAT_MS / 5);
      typing.input(true);
    }
    // Two repeat periods of steady typing: twice more, never "stopped".
    expect(sent).toEqual([true, true, true]);
  });

  it('says "stopped" once after an idle pause, and "typing" again at the next keystroke', () => {
    const { clock, sent, typing } = signal();
    typing.input(true);
    clock.advance(TYPING_IDLE_MS - 1);
    expect(sent).toEqual([true]);
    clock.advance(1);
    expect(sent).toEqual([true, false]);
    clock.advance(TYPING_IDLE_MS * 4);
    expect(sent).toEqual([true, false]);
    typing.input(true);
    expect(sent).toEqual([true, false, true]);
  });

  it('stops when the text is emptied or on stop() (blur, send, another case), once', () => {
    const { clock, sent, typing } = signal();
    typing.input(true);
    typing.input(false);
    expect(sent).toEqual([true, false]);
    typing.input(false);
    typing.stop();
    clock.advance(TYPING_IDLE_MS * 2);
    expect(sent).toEqual([true, false]);

    typing.input(true);
    typing.stop();
    expect(sent).toEqual([true, false, true, false]);
  });
});
