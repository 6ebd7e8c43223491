import {
  MAX_REFERENCES,
  baseSubject,
  domainOf,
  messageIdsIn,
  outboundMessageId,
  parleyMessageIdOf,
  replyReferences,
  replySubject,
  threadCandidates,
  threadRoot,
} from './email-threading';

describe('email threading', () => {
  it('reads ids from header values, bracketed or bare', () => {
    expect(messageIdsIn('<a@x> <b@y>\n <c@z>')).toEqual(['<a@x>', '<b@y>', '<c@z>']);
    expect(messageIdsIn(['<a@x>', '<b@y>'])).toEqual(['<a@x>', '<b@y>']);
    expect(messageIdsIn('a@x')).toEqual(['<a@x>']);
    expect(messageIdsIn('not an id at all')).toEqual([]);
    expect(messageIdsIn(undefined)).toEqual([]);
  });

  it('tries In-Reply-To, then References from the newest, then extra ids, each once', () => {
    expect(threadCandidates(['<p@x>'], ['<r1@x>', '<r2@x>', '<p@x>'], ['<bounced@x>'])).toEqual(['<p@x>', '<r2@x>', '<r1@x>', '<bounced@x>']);
  });

  it('keys a new thread by its root', () => {
    expect(threadRoot('<self@x>', ['<p@x>'], ['<root@x>', '<p@x>'])).toBe('<root@x>');
    expect(threadRoot('<self@x>', ['<p@x>'], [])).toBe('<p@x>');
    expect(threadRoot('<self@x>', [], [])).toBe('<self@x>');
  });

  it('makes our Message-IDs on the channel address’s domain and reads them back', () => {
    const id = outboundMessageId('6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5', 'Support@Inbox.Example.com');
    expect(id).toBe('<parley.6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5@inbox.example.com>');
    expect(parleyMessageIdOf(id)).toBe('6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5');
    expect(parleyMessageIdOf('<CAB7d9kQ2x+reply-0001@mail.example.org>')).toBeNull();
    expect(parleyMessageIdOf('<parley.not-a-uuid@inbox.example.com>')).toBeNull();
    expect(domainOf('a@B.example')).toBe('b.example');
  });

  it('builds References from the root and the history, trimmed to keep the root and the newest', () => {
    expect(replyReferences('<root@x>', ['<root@x>', '<a@x>', '<b@x>'])).toEqual(['<root@x>', '<a@x>', '<b@x>']);
    expect(replyReferences(null, ['<a@x>'])).toEqual(['<a@x>']);
    const history = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const trimmed = replyReferences('<root@x>', history);
    expect(trimmed).toHaveLength(MAX_REFERENCES);
    expect(trimmed[0]).toBe('<root@x>');
    expect(trimmed[trimmed.length - 1]).toBe('<m29@x>');
  });

  it('derives the case subject and the reply subject', () => {
    expect(baseSubject('Re: RE: Fwd: AW: Order 98765')).toBe('Order 98765');
    expect(baseSubject('Re[2]: Order')).toBe('Order');
    expect(baseSubject('Order: late')).toBe('Order: late');
    expect(baseSubject('  ')).toBeNull();
    expect(replySubject('Order 98765')).toBe('Re: Order 98765');
    expect(replySubject('Re: Order 98765')).toBe('Re: Order 98765');
    expect(replySubject(null)).toBe('Re: your message');
  });
});
