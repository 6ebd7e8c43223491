import { toVisitorMessage, type VisitorMessageRow, visitorProviderMessageId } from './visitor-message';

describe('toVisitorMessage', () => {
  const visitor = 'c0ffee00-0000-4000-8000-000000000042';
  const row = (overrides: Partial<VisitorMessageRow>): VisitorMessageRow => ({
    id: '6f1c3f0e-8d2a-4c1b-9f6e-2a7d4b5c6e01',
    channel_id: '11111111-2222-4333-8444-555555555555',
    visitor,
    direction: 'inbound',
    internal: false,
    author_type: 'contact',
    author_name: 'Ana',
    content: { text: 'Hola' },
    rendered: null,
    status: 'received',
    provider_message_id: visitorProviderMessageId(visitor, 'client:1'),
    created_at: new Date('2026-11-20T10:00:00Z'),
    ...overrides,
  });

  it('gives the visitor back their own clientMessageId', () => {
    expect(toVisitorMessage(row({}))).toEqual({
      id: '6f1c3f0e-8d2a-4c1b-9f6e-2a7d4b5c6e01',
      clientMessageId: 'client:1',
      direction: 'inbound',
      author: { type: 'contact', name: 'Ana' },
      content: { text: 'Hola' },
      status: 'received',
      createdAt: '2026-11-20T10:00:00.000Z',
    });
  });

  it('shows an agent’s message as it was rendered for the web chat, without ids of theirs', () => {
    const view = toVisitorMessage(
      row({ direction: 'outbound', author_type: 'agent', author_name: 'Inés', content: { text: 'a', template: { name: 't', language: 'en' } }, rendered: { text: 'a\n\nt' }, provider_message_id: null, status: 'sent' }),
    );
    expect(view).toMatchObject({ clientMessageId: null, author: { type: 'agent', name: 'Inés' }, content: { text: 'a\n\nt' }, status: 'sent' });
  });
});
