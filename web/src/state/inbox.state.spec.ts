import { describe, expect, it } from '@jest/globals';
import type { Case, Message, ParleyEvent } from '../api/api.types';
import { applyEvent, contactAddress, contactName, initialState, type InboxState, matchesFilters, mergeMessage, setTyping, upsertCase } from './inbox.state';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString();

function kase(id: string, overrides: Partial<Case> = {}): Case {
  return {
    id,
    channelId: 'ch-1',
    channelType: 'sms',
    status: 'new',
    priority: 0,
    skillId: 'skill-1',
    assigneeId: null,
    contact: { id: `contact-${id}`, name: `Name ${id}`, identities: [{ channelType: 'sms', address: '+15550001' }] },
    subject: null,
    createdAt: at(0),
    updatedAt: at(1),
    lastMessageAt: at(1),
    lastMessagePreview: 'hello',
    ...overrides,
  };
}

function message(id: string, overrides: Partial<Message> = {}): Message {
  return {
    id,
    caseId: 'c1',
    direction: 'outbound',
    internal: false,
    author: { type: 'agent', id: 'u1' },
    content: { text: id },
    rendered: null,
    status: 'queued',
    externalId: null,
    error: null,
    createdAt: at(1),
    ...overrides,
  };
}

const signedIn = (): InboxState => initialState({ token: 't', expiresAt: Date.now() + 1000, user: { id: 'u1', email: 'a@b.c', name: 'A', role: 'agent', tenantId: 'tn' } });
const apply = (state: InboxState, event: ParleyEvent): InboxState => ({ ...state, ...applyEvent(state, event) });

describe('inbox state', () => {
  it('lists a case that matches the filters, newest activity first, and drops it when it stops matching', () => {
    let state = signedIn();
    state = { ...state, ...upsertCase(state, kase('a', { lastMessageAt: at(1) })) };
    state = { ...state, ...upsertCase(state, kase('b', { lastMessageAt: at(5) })) };
    expect(state.list.ids).toEqual(['b', 'a']);
    // Resolved is not "active" (the default filter).
    state = { ...state, ...upsertCase(state, kase('b', { status: 'resolved', updatedAt: at(6) })) };
    expect(state.list.ids).toEqual(['a']);
    expect(state.cases.b!.status).toBe('resolved');
  });

  it('never lets an older copy of a case replace a newer one (an event racing a REST answer)', () => {
    let state = signedIn();
    state = { ...state, ...upsertCase(state, kase('a', { status: 'pending', updatedAt: at(9) })) };
    state = { ...state, ...upsertCase(state, kase('a', { status: 'open', updatedAt: at(3) })) };
    expect(state.cases.a!.status).toBe('pending');
  });

  it('applies an event twice with the same result', () => {
    const event: ParleyEvent = { seq: 7, type: 'case.created', data: kase('a'), at: at(1) };
    const once = apply(signedIn(), event);
    const twice = apply(once, event);
    expect(twice.list.ids).toEqual(['a']);
    expect(twice.cases).toEqual(once.cases);
    expect(once.announcement).toBe('New case from Name a');
  });

  it('matches the channel, skill and free-text filters like the server', () => {
    const filters = { status: 'all' as const, channelType: 'sms', skillId: 'skill-1', q: '5550001' };
    expect(matchesFilters(kase('a'), filters)).toBe(true);
    expect(matchesFilters(kase('a', { channelType: 'byoc' }), filters)).toBe(false);
    expect(matchesFilters(kase('a', { skillId: 'other' }), filters)).toBe(false);
    expect(matchesFilters(kase('a'), { ...filters, q: 'nobody' })).toBe(false);
  });

  it('merges messages by id in time order, and delivery statuses only move forward', () => {
    let items = mergeMessage([], message('m2', { createdAt: at(2) }));
    items = mergeMessage(items, message('m1', { createdAt: at(1) }));
    items = mergeMessage(items, message('m2', { createdAt: at(2), status: 'read' }));
    items = mergeMessage(items, message('m2', { createdAt: at(2), status: 'sent' }));
    expect(items.map((m) => [m.id, m.status])).toEqual([
      ['m1', 'queued'],
      ['m2', 'read'],
    ]);
  });

  it('keeps messages only for cases whose history is loaded', () => {
    const event: ParleyEvent = { seq: 3, type: 'message.created', data: { caseId: 'c1', message: message('m1') }, at: at(1) };
    expect(apply(signedIn(), event).messages).toEqual({});
    const loaded = { ...signedIn(), messages: { c1: { items: [], loading: false, error: null } } };
    expect(apply(loaded, event).messages.c1!.items.map((m) => m.id)).toEqual(['m1']);
  });

  it("takes the agent's own state from agent.state events, and ignores other agents'", () => {
    const mine: ParleyEvent = { seq: 1, type: 'agent.state', data: { userId: 'u1', state: 'available', reasonCode: null, source: 'agent', since: at(1) }, at: at(1) };
    const theirs: ParleyEvent = { ...mine, seq: 2, data: { ...mine.data, userId: 'u2', state: 'offline' } };
    expect(apply(apply(signedIn(), mine), theirs).agentState?.state).toBe('available');
  });

  it("shows the customer typing until they stop, or until their message arrives", () => {
    let state = { ...signedIn(), ...setTyping(signedIn(), 'c1', true) };
    expect(state.typing).toEqual({ c1: true });
    expect(setTyping(state, 'c1', true)).toEqual({});
    expect({ ...state, ...setTyping(state, 'c1', false) }.typing).toEqual({});
    // An agent's reply leaves it on; the customer's message ends it.
    state = apply(state, { seq: 4, type: 'message.created', data: { caseId: 'c1', message: message('m1') }, at: at(1) });
    expect(state.typing).toEqual({ c1: true });
    state = apply(state, { seq: 5, type: 'message.created', data: { caseId: 'c1', message: message('m2', { direction: 'inbound', author: { type: 'contact', id: null } }) }, at: at(2) });
    expect(state.typing).toEqual({});
  });

  it('never shows a web chat visitor’s id: their contact’s name, or a label for an unnamed one', () => {
    const visitor = { channelType: 'chat', address: '3f9a2c71-0b4e-4d2a-9c1e-5a6b7c8d9e0f' };
    expect(contactName(kase('a', { contact: { id: 'k', name: null, identities: [visitor] } }))).toBe('Web chat visitor #3F9A2C');
    const named = kase('a', { contact: { id: 'k', name: 'Ana Lima', identities: [visitor] } });
    expect([contactName(named), contactAddress(named)]).toEqual(['Ana Lima', null]);
    // Other channels' addresses mean something: shown as the name, or beside it.
    expect(contactName(kase('a', { contact: { id: 'k', name: null, identities: [{ channelType: 'sms', address: '+15550001' }] } }))).toBe('+15550001');
    expect(contactAddress(kase('a'))).toBe('+15550001');
  });
});
