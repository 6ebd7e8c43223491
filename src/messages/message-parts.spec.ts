import { combinePartStatuses } from './message-parts.repository';

describe('combinePartStatuses', () => {
  const part = (status: 'sent' | 'delivered' | 'read' | 'failed', error: string | null = null) => ({ status, error });

  it('is as far as the slowest part: delivered only once every part is', () => {
    expect(combinePartStatuses([part('delivered'), part('sent'), part('read')])).toEqual({ status: 'sent', error: null });
    expect(combinePartStatuses([part('delivered'), part('read'), part('delivered')])).toEqual({ status: 'delivered', error: null });
    expect(combinePartStatuses([part('read'), part('read')])).toEqual({ status: 'read', error: null });
  });

  it('is failed when any part failed, naming the part, even after the others were delivered', () => {
    expect(combinePartStatuses([part('delivered'), part('failed', 'Twilio error 30003: Unreachable destination handset'), part('delivered')])).toEqual({
      status: 'failed',
      error: 'Part 2 of 3: Twilio error 30003: Unreachable destination handset',
    });
    expect(combinePartStatuses([part('sent'), part('failed')])).toEqual({ status: 'failed', error: 'Part 2 of 2: Failed at the provider' });
  });
});
