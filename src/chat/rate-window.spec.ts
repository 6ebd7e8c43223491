import { RateWindow } from './rate-window';

describe('RateWindow', () => {
  it('allows `limit` takes per window, then refuses until the next window', () => {
    const window = new RateWindow(2, 1000);
    expect([window.take(0), window.take(10), window.take(20)]).toEqual([true, true, false]);
    expect(window.take(999)).toBe(false);
    expect([window.take(1000), window.take(1001), window.take(1002)]).toEqual([true, true, false]);
  });
});
