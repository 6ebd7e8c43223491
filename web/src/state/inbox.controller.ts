import { ApiClient, ApiError } from '../api/api-client';
import type { Case, CaseStatus, Content, Message, ParleyEvent, TypingEvent } from '../api/api.types';
import { type ParleyApi, type TransferRequest, parleyApi } from '../api/parley-api';
import { pushPath, viewOf } from '../nav/router';
import { AgentSocket } from '../realtime/agent-socket';
import { type Filters, type InboxState, type View, applyEvent, initialState, setTyping, statusesOf, upsertCase, upsertMessage } from './inbox.state';
import { clearSession, loadSession, saveSession } from './session.storage';
import { Store } from './store';

const EVENTS_PAGE = 500;
// Beyond this many pages of missed events, reloading the list is cheaper than replaying them.
const MAX_CATCH_UP_PAGES = 10;
const SEEN_WINDOW = 2000;
// A customer's typing indicator goes out by itself when no news keeps it on (a lost "stopped
// typing"); the widget repeats "typing" every few seconds while the visitor types.
const TYPING_SHOWN_MS = 8000;

// Everything the screens can do: it talks to the API and the socket and writes the store.
export class InboxController {
  readonly store: Store<InboxState>;
  readonly api: ParleyApi;
  private readonly client: ApiClient;
  private socket: AgentSocket | null = null;
  // Sequence numbers already applied: the socket and the catch-up may both deliver one event.
  private readonly seen = new Set<number>();
  private listRequest = 0;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  // Cases whose channel cannot show the agent typing: not told again.
  private readonly typingNotShown = new Set<string>();

  constructor() {
    this.client = new ApiClient(() => this.logout('Your session expired. Sign in again.'));
    this.api = parleyApi(this.client);
    this.store = new Store(initialState(loadSession()));
  }

  private get state(): InboxState {
    return this.store.get();
  }

  // After a reload with a stored session, or right after login.
  start(): void {
    const session = this.state.session;
    if (!session || this.socket) return;
    this.client.setToken(session.token);
    this.store.set({ view: viewOf(window.location.pathname), connection: 'connecting' });
    window.addEventListener('popstate', this.onPopState);
    // Socket first, list second: nothing that happens while the list loads is missed.
    this.socket = new AgentSocket(session.token, {
      onEvent: (event) => this.receive(event),
      onTyping: (event) => this.customerTyping(event),
      onConnect: () => {
        const missedAfter = this.state.lastSeq;
        this.store.set({ connection: 'online' });
        // Also on the first connection: what the list request saw may predate the socket.
        void this.catchUp(missedAfter);
      },
      onDisconnect: () => this.store.set({ connection: 'reconnecting' }),
      onUnauthorized: () => this.logout('Your session expired. Sign in again.'),
    });
    void this.loadReferenceData();
    void this.loadCases();
    const view = this.state.view;
    if (view.name === 'inbox' && view.caseId) void this.loadCase(view.caseId);
  }

  async login(email: string, password: string): Promise<void> {
    const result = await this.api.login(email, password);
    this.store.set({ ...initialState(saveSession(result)) });
    this.start();
  }

  logout(reason?: string): void {
    this.socket?.close();
    this.socket = null;
    this.seen.clear();
    for (const timer of this.typingTimers.values()) clearTimeout(timer);
    this.typingTimers.clear();
    this.typingNotShown.clear();
    clearSession();
    this.client.setToken(null);
    window.removeEventListener('popstate', this.onPopState);
    this.store.set({ ...initialState(null), announcement: reason ?? 'Signed out' });
    window.history.replaceState(null, '', '/');
  }

  // --- realtime -------------------------------------------------------------------------------

  private receive(event: ParleyEvent): void {
    if (this.seen.has(event.seq)) return;
    this.seen.add(event.seq);
    if (this.seen.size > SEEN_WINDOW) {
      // Keep the newest half: older events can no longer arrive twice.
      const oldest = [...this.seen].sort((a, b) => a - b).slice(0, this.seen.size - SEEN_WINDOW / 2);
      for (const seq of oldest) this.seen.delete(seq);
    }
    this.store.set((s) => ({ ...applyEvent(s, event), lastSeq: Math.max(s.lastSeq, event.seq) }));
  }

  private customerTyping({ data }: TypingEvent): void {
    const { caseId, typing } = data;
    clearTimeout(this.typingTimers.get(caseId));
    this.typingTimers.delete(caseId);
    if (typing) {
      this.typingTimers.set(
        caseId,
        setTimeout(() => {
          this.typingTimers.delete(caseId);
          this.store.set((s) => setTyping(s, caseId, false));
        }, TYPING_SHOWN_MS),
      );
    }
    this.store.set((s) => setTyping(s, caseId, typing));
  }

  // The agent's own typing, shown to the customer where the case's channel can (web chat).
  sendTyping(caseId: string, typing: boolean): void {
    if (!this.socket || this.typingNotShown.has(caseId)) return;
    void this.socket.typing(caseId, typing).then((shown) => {
      if (shown === false && typing) this.typingNotShown.add(caseId);
    });
  }

  // What happened while the socket was down (API.md §8: GET /events?after=).
  private async catchUp(after: number): Promise<void> {
    if (after === 0) return this.resync();
    let cursor = after;
    try {
      for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
        const { items, lastSeq } = await this.api.events(cursor, EVENTS_PAGE);
        for (const event of items) this.receive(event);
        cursor = lastSeq;
        this.store.set((s) => ({ lastSeq: Math.max(s.lastSeq, lastSeq) }));
        if (items.length < EVENTS_PAGE) return;
      }
      await this.resync();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return;
      // The socket is back but the API is not yet: try again shortly, from the same point.
      setTimeout(() => {
        if (this.socket && this.state.connection === 'online') void this.catchUp(after);
      }, 2000);
    }
  }

  // No known position in the event stream (nothing received yet): reload what is on screen.
  // On the first connection this closes the gap between the first list request and the socket.
  private async resync(): Promise<void> {
    await this.loadCases();
    const view = this.state.view;
    if (view.name === 'inbox' && view.caseId) await this.loadMessages(view.caseId);
  }

  // --- reference data ---------------------------------------------------------------------------

  private async loadReferenceData(): Promise<void> {
    const user = this.state.session?.user;
    if (!user) return;
    const [skills, types] = await Promise.allSettled([this.api.skills(), this.api.channelTypes()]);
    this.store.set({
      skills: skills.status === 'fulfilled' ? skills.value.items : [],
      channelTypes: types.status === 'fulfilled' ? types.value.items : [],
      users: { [user.id]: { id: user.id, name: user.name, email: user.email, role: user.role } },
    });
    if (user.role !== 'agent') {
      const users = await this.api.users().catch(() => null);
      if (users) this.store.set({ users: Object.fromEntries(users.items.map((u) => [u.id, u])) });
    }
    await this.probeRouting();
  }

  private async probeRouting(): Promise<void> {
    try {
      const agentState = await this.api.myState();
      this.store.set({ routing: 'available', agentState });
    } catch (error) {
      // Some roles have no personal state; the feature is still there.
      if (error instanceof ApiError && error.status === 403) this.store.set({ routing: 'available' });
    }
  }

  // --- list -----------------------------------------------------------------------------------

  setFilters(patch: Partial<Filters>): void {
    this.store.set((s) => ({ filters: { ...s.filters, ...patch } }));
    void this.loadCases();
  }

  async loadCases(more = false): Promise<void> {
    const request = ++this.listRequest;
    const { filters, list } = this.state;
    this.store.set({ list: { ...list, loading: true, error: null } });
    try {
      const page = await this.api.cases({
        status: statusesOf(filters.status),
        channelType: filters.channelType,
        skillId: filters.skillId,
        q: filters.q.trim(),
        cursor: more ? (list.nextCursor ?? undefined) : undefined,
        limit: 50,
      });
      // A newer request (the filters changed meanwhile) wins.
      if (request !== this.listRequest) return;
      this.store.set((s) => {
        const cases = { ...s.cases };
        for (const c of page.items) {
          const current = cases[c.id];
          if (!current || Date.parse(c.updatedAt) >= Date.parse(current.updatedAt)) cases[c.id] = c;
        }
        const ids = more ? [...s.list.ids, ...page.items.map((c) => c.id).filter((id) => !s.list.ids.includes(id))] : page.items.map((c) => c.id);
        const activeId = s.activeId && ids.includes(s.activeId) ? s.activeId : (ids[0] ?? null);
        return { cases, activeId, list: { ids, nextCursor: page.nextCursor, loading: false, error: null } };
      });
    } catch (error) {
      if (request !== this.listRequest) return;
      this.store.set((s) => ({ list: { ...s.list, loading: false, error: messageOf(error) } }));
    }
  }

  moveActive(delta: number): void {
    const { ids } = this.state.list;
    if (!ids.length) return;
    const current = this.state.activeId ? ids.indexOf(this.state.activeId) : -1;
    const next = Math.min(ids.length - 1, Math.max(0, current + delta));
    this.store.set({ activeId: ids[next] ?? null });
  }

  setActive(id: string): void {
    this.store.set({ activeId: id });
  }

  // --- navigation -----------------------------------------------------------------------------

  private readonly onPopState = () => {
    const view = viewOf(window.location.pathname);
    this.store.set({ view });
    if (view.name === 'inbox' && view.caseId) void this.loadCase(view.caseId);
  };

  show(view: View): void {
    pushPath(view);
    this.store.set({ view, ...(view.name === 'inbox' && view.caseId ? { activeId: view.caseId } : {}) });
    if (view.name === 'inbox' && view.caseId) void this.loadCase(view.caseId);
  }

  openCase(id: string): void {
    this.show({ name: 'inbox', caseId: id });
  }

  private async loadCase(id: string): Promise<void> {
    const [c] = await Promise.allSettled([this.api.case(id), this.loadMessages(id)]);
    if (c.status === 'fulfilled') this.store.set((s) => upsertCase(s, c.value));
  }

  // The whole history, every page, oldest first.
  async loadMessages(caseId: string): Promise<void> {
    this.store.set((s) => ({ messages: { ...s.messages, [caseId]: { items: s.messages[caseId]?.items ?? [], loading: true, error: null } } }));
    try {
      const items: Message[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.api.messages(caseId, cursor);
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      this.store.set((s) => {
        // Events that arrived during the fetch are merged in, not lost.
        const during = s.messages[caseId]?.items ?? [];
        let merged: InboxState = { ...s, messages: { ...s.messages, [caseId]: { items, loading: false, error: null } } };
        for (const m of during) merged = { ...merged, ...upsertMessage(merged, caseId, m) };
        return { messages: merged.messages };
      });
    } catch (error) {
      this.store.set((s) => ({ messages: { ...s.messages, [caseId]: { items: s.messages[caseId]?.items ?? [], loading: false, error: messageOf(error) } } }));
    }
  }

  // --- case actions ---------------------------------------------------------------------------

  async reply(caseId: string, content: Content, internal: boolean): Promise<Message> {
    const message = await this.api.reply(caseId, content, internal, crypto.randomUUID());
    this.store.set((s) => upsertMessage(s, caseId, message));
    return message;
  }

  async setStatus(caseId: string, status: CaseStatus): Promise<void> {
    this.applyCase(await this.api.updateCase(caseId, { status }));
    this.announce(`Case marked ${status}`);
  }

  async assignToMe(caseId: string): Promise<void> {
    const me = this.state.session?.user.id;
    if (me) this.applyCase(await this.api.updateCase(caseId, { assigneeId: me }));
  }

  async transfer(caseId: string, request: TransferRequest): Promise<void> {
    this.applyCase(await this.api.transfer(caseId, request));
    this.announce('Case transferred');
  }

  async respondToOffer(caseId: string, accept: boolean): Promise<void> {
    this.applyCase(await (accept ? this.api.accept(caseId) : this.api.decline(caseId)));
  }

  async setAgentState(state: 'available' | 'unavailable', reasonCode?: string): Promise<void> {
    const agentState = await this.api.setMyState(state, reasonCode);
    this.store.set({ agentState });
    this.announce(`You are ${state}`);
  }

  private applyCase(c: Case): void {
    this.store.set((s) => upsertCase(s, c));
  }

  announce(text: string): void {
    this.store.set({ announcement: text });
  }

  // Asks the composer to take the focus, as a reply or as an internal note (keyboard r / n).
  requestCompose(internal: boolean): void {
    this.store.set((s) => ({ compose: { internal, nonce: s.compose.nonce + 1 } }));
  }

  setTransferOpen(open: boolean): void {
    this.store.set({ transferOpen: open && this.state.routing === 'available' });
  }

  setHelpOpen(open: boolean): void {
    this.store.set({ helpOpen: open });
  }
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
