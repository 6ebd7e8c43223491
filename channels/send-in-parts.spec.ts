import { ProviderError, type OutboundMessage } from './channel-adapter.port';
import { sendInParts } from './send-in-parts';

const message = (extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: 'm-1',
  caseId: 'c-1',
  threadKey: null,
  to: { address: '+14155550123' },
  rendered: { text: 'unused here' },
  ...extra,
});

describe('sendInParts', () => {
  it('sends every part in order, records each before the next, and reports the first id', async () => {
    const log: string[] = [];
    const result = await sendInParts(
      message({ onPartSent: async (index, id) => void log.push(`recorded ${index} ${id}`) }),
      ['a', 'b', 'c'],
      async (part, index) => {
        log.push(`send ${index} ${part}`);
        return `id-${part}`;
      },
    );
    expect(result).toEqual({ externalId: 'id-a' });
    expect(log).toEqual(['send 0 a', 'recorded 0 id-a', 'send 1 b', 'recorded 1 id-b', 'send 2 c', 'recorded 2 id-c']);
  });

  it('resumes after the parts an earlier attempt delivered and keeps the first part’s id', async () => {
    const sent: number[] = [];
    const recorded: number[] = [];
    const result = await sendInParts(message({ sentParts: ['id-a', 'id-b'], onPartSent: async (index) => void recorded.push(index) }), ['a', 'b', 'c'], async (_part, index) => {
      sent.push(index);
      return `id-${index}`;
    });
    expect(sent).toEqual([2]);
    expect(recorded).toEqual([2]);
    expect(result).toEqual({ externalId: 'id-a' });
  });

  it('sends nothing again when every part was delivered (a crash before the status was stored)', async () => {
    const send = jest.fn(async () => 'never');
    await expect(sendInParts(message({ sentParts: ['id-a', 'id-b'] }), ['a', 'b'], send)).resolves.toEqual({ externalId: 'id-a' });
    expect(send).not.toHaveBeenCalled();
  });

  it('records nothing for a single part: there is nothing to resume', async () => {
    const onPartSent = jest.fn(async () => undefined);
    await expect(sendInParts(message({ onPartSent }), ['only'], async () => 'id-only')).resolves.toEqual({ externalId: 'id-only' });
    expect(onPartSent).not.toHaveBeenCalled();
  });

  it('names the failed part once earlier parts went out, keeping the class and Retry-After', async () => {
    const failAt = (n: number, error: Error) => async (_part: string, index: number) => {
      if (index === n) throw error;
      return `id-${index}`;
    };
    const later = await sendInParts(message(), ['a', 'b', 'c'], failAt(1, new ProviderError('rate_limited', 'Twilio 429', 5000))).catch((e: unknown) => e);
    expect(later).toBeInstanceOf(ProviderError);
    expect(later).toMatchObject({ errorClass: 'rate_limited', message: 'Part 2 of 3: Twilio 429', retryAfterMs: 5000 });

    const first = await sendInParts(message(), ['a', 'b'], failAt(0, new ProviderError('invalid_recipient', 'Invalid recipient number'))).catch((e: unknown) => e);
    expect(first).toMatchObject({ errorClass: 'invalid_recipient', message: 'Invalid recipient number' });

    const unexpected = new TypeError('boom');
    await expect(sendInParts(message(), ['a', 'b'], failAt(1, unexpected))).rejects.toBe(unexpected);
  });

  it('stops when a part cannot be recorded: the next part waits for the record', async () => {
    const sent: number[] = [];
    const failure = new Error('database unavailable');
    const attempt = sendInParts(message({ onPartSent: async () => Promise.reject(failure) }), ['a', 'b'], async (_part, index) => {
      sent.push(index);
      return `id-${index}`;
    });
    await expect(attempt).rejects.toBe(failure);
    expect(sent).toEqual([0]);
  });

  it('refuses an empty message as permanent', async () => {
    await expect(sendInParts(message(), [], async () => 'x')).rejects.toMatchObject({ errorClass: 'permanent', message: 'Nothing to send' });
  });
});
