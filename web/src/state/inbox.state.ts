import type {
  AgentState,
  Case,
  CaseStatus,
  ChannelTypeInfo,
  Message,
  MessageStatus,
  ParleyEvent,
  SessionUser,
  Skill,
  UserSummary,
} from '../api/api.types';

// The app's whole state, and the pure functions that change it. Every change is idempotent
// (upserts keyed by id, newer data wins), so an event applied twice, or an event that races a
// REST response, leaves the same state.

export type StatusFilter = 'active' | 'all' | CaseStatus;
export const ACTIVE_STATUSES: CaseStatus[] = ['new', 'open', 'pending', 'escalated'];

export interface Filters {
  status: StatusFilter;
  channelType: string;
  skillId: string;
  q: string;
}

export type ConnectionState = 'connecting' | 'online' | 'reconnecting';
// Whether the agent's routing state has been read yet (the state toggle and transfer wait for it).
export type RoutingSupport = 'unknown' | 'available';
export type View = { name: 'inbox'; caseId: string | null } | { name: 'queues' };

export interface Session {
  token: string;
  user: SessionUser;
  expiresAt: number;
}

export interface CaseMessages {
  items: Message[];
  loading: boolean;
  error: string | null;
}

export interface InboxState {
  session: Session | null;
  connection: ConnectionState;
  lastSeq: number;
  filters: Filters;
  list: { ids: string[]; nextCursor: string | null; loading: boolean; error: string | null };
  cases: Record<string, Case>;
  messages: Record<string, CaseMessages>;
  view: View;
  // The case highlighted in the list (keyboard j/k), by id.
  activeId: string | null;
  routing: RoutingSupport;
  agentState: AgentState | null;
  skills: Skill[];
  users: Record<string, UserSummary>;
  channelTypes: ChannelTypeInfo[];
  // Read by screen readers through a polite live region.
  announcement: string;
  helpOpen: boolean;
  transferOpen: boolean;
  compose: { internal: boolean; nonce: number };
  // Cases whose customer is typing right now.
  typing: Record<string, true>;
}

export function initialState(session: Session | null): InboxState {
  return {
    session,
    connection: 'connecting',
    lastSeq: 0,
    filters: { status: 'active', channelType: '', skillId: '', q: '' },
    list: { ids: [], nextCursor: null, loading: false, error: null },
    cases: {},
    messages: {},
    view: { name: 'inbox', caseId: null },
    activeId: null,
    routing: 'unknown',
    agentState: null,
    skills: [],
    users: {},
    channelTypes: [],
    announcement: '',
    helpOpen: false,
    transferOpen: false,
    compose: { internal: false, nonce: 0 },
    typing: {},
  };
}

export function statusesOf(filter: StatusFilter): CaseStatus[] | undefined {
  if (filter === 'all') return undefined;
  if (filter === 'active') return ACTIVE_STATUSES;
  return [filter];
}

// The server's filters, evaluated on a case that arrived by event (q approximates its search:
// contact name, preview, subject and addresses).
export function matchesFilters(c: Case, filters: Filters): boolean {
  const statuses = statusesOf(filters.status);
  if (statuses && !statuses.includes(c.status)) return false;
  if (filters.channelType && c.channelType !== filters.channelType) return false;
  if (filters.skillId && c.skillId !== filters.skillId) return false;
  const q = filters.q.trim().toLowerCase();
  if (q) {
    const haystack = [c.contact.name, c.lastMessagePreview, c.subject, ...c.contact.identities.map((i) => i.address)];
    if (!haystack.some((text) => text?.toLowerCase().includes(q))) return false;
  }
  return true;
}

// Newest activity first, as the server orders the list.
export function compareCases(a: Case, b: Case): number {
  const at = (c: Case) => Date.parse(c.lastMessageAt ?? c.createdAt);
  return at(b) - at(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function newer(current: Case | undefined, incoming: Case): boolean {
  return !current || Date.parse(incoming.updatedAt) >= Date.parse(current.updatedAt);
}

export function upsertCase(state: InboxState, incoming: Case): Partial<InboxState> {
  const current = state.cases[incoming.id];
  const c = newer(current, incoming) ? incoming : current!;
  const cases = { ...state.cases, [c.id]: c };
  const listed = state.list.ids.includes(c.id);
  const belongs = matchesFilters(c, state.filters);
  let ids = state.list.ids;
  if (belongs) {
    const others = ids.filter((id) => id !== c.id);
    ids = [...others, c.id].sort((a, b) => compareCases(cases[a]!, cases[b]!));
  } else if (listed) {
    ids = ids.filter((id) => id !== c.id);
  }
  return { cases, list: { ...state.list, ids } };
}

// Delivery statuses only move forward (API.md §5); a late `sent` never undoes `read`.
const STATUS_RANK: Record<MessageStatus, number> = { received: 0, queued: 0, sent: 1, failed: 1.5, delivered: 2, read: 3 };

export function compareMessages(a: Message, b: Message): number {
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function mergeMessage(items: Message[], incoming: Message): Message[] {
  const index = items.findIndex((m) => m.id === incoming.id);
  if (index < 0) return [...items, incoming].sort(compareMessages);
  const current = items[index]!;
  const next = STATUS_RANK[incoming.status] >= STATUS_RANK[current.status] ? incoming : { ...incoming, status: current.status };
  return items.map((m, i) => (i === index ? next : m));
}

// Messages are kept only for cases whose history was loaded; others are fetched when opened.
export function upsertMessage(state: InboxState, caseId: string, message: Message): Partial<InboxState> {
  const loaded = state.messages[caseId];
  if (!loaded) return {};
  return { messages: { ...state.messages, [caseId]: { ...loaded, items: mergeMessage(loaded.items, message) } } };
}

export function applyEvent(state: InboxState, event: ParleyEvent): Partial<InboxState> {
  switch (event.type) {
    case 'case.created':
    case 'case.updated': {
      const patch = upsertCase(state, event.data);
      const isNew = event.type === 'case.created' && patch.list?.ids.includes(event.data.id);
      return isNew ? { ...patch, announcement: `New case from ${contactName(event.data)}` } : patch;
    }
    case 'message.created': {
      const patch = upsertMessage(state, event.data.caseId, event.data.message);
      // The customer's message is what they were typing.
      return event.data.message.direction === 'inbound' ? { ...patch, ...setTyping(state, event.data.caseId, false) } : patch;
    }
    case 'message.updated':
      return upsertMessage(state, event.data.caseId, event.data.message);
    case 'agent.state':
      return event.data.userId === state.session?.user.id ? { agentState: event.data } : {};
  }
}

export function setTyping(state: InboxState, caseId: string, typing: boolean): Partial<InboxState> {
  if (Boolean(state.typing[caseId]) === typing) return {};
  const next = { ...state.typing };
  if (typing) next[caseId] = true;
  else delete next[caseId];
  return { typing: next };
}

// A web chat visitor's address is a random id, which means nothing to an agent: it is never
// shown. The server names new visitors' contacts (src/chat/visitor-label.ts); a contact created
// before it did gets the same label here.
export function contactName(c: Case): string {
  if (c.contact.name) return c.contact.name;
  const identity = c.contact.identities[0];
  if (!identity) return 'Unknown contact';
  return identity.channelType === 'chat' ? `Web chat visitor #${identity.address.replace(/-/g, '').slice(0, 6).toUpperCase()}` : identity.address;
}

// The address shown beside the contact's name (a phone number, an email…), if it says anything.
export function contactAddress(c: Case): string | null {
  const identity = c.contact.identities[0];
  if (!c.contact.name || !identity || identity.channelType === 'chat') return null;
  return identity.address;
}
