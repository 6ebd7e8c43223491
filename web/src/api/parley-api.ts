import type { ApiClient } from './api-client';
import type {
  AgentRow,
  AgentState,
  Case,
  CaseStatus,
  ChannelTypeInfo,
  Content,
  IdleReason,
  LoginResult,
  Message,
  Page,
  ParleyEvent,
  QueueRow,
  ReplyPreview,
  Skill,
  UserSummary,
} from './api.types';

export interface CaseQuery {
  status?: CaseStatus[];
  channelType?: string;
  skillId?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}

export interface TransferRequest {
  toAgentId?: string;
  toSkillId?: string;
  note?: string;
}

// Every endpoint the app calls, typed.
export function parleyApi(client: ApiClient) {
  return {
    login: (email: string, password: string) => client.post<LoginResult>('/auth/login', { email, password }),

    cases: (query: CaseQuery) => client.get<Page<Case>>(`/cases${queryString({ ...query })}`),
    case: (id: string) => client.get<Case>(`/cases/${id}`),
    updateCase: (id: string, patch: { status?: CaseStatus; assigneeId?: string | null; skillId?: string; priority?: number }) =>
      client.patch<Case>(`/cases/${id}`, patch),
    messages: (caseId: string, cursor?: string) => client.get<Page<Message>>(`/cases/${caseId}/messages${queryString({ cursor, limit: 200 })}`),
    reply: (caseId: string, content: Content, internal: boolean, idempotencyKey: string) =>
      client.post<Message>(`/cases/${caseId}/messages`, { content, internal }, { headers: { 'idempotency-key': idempotencyKey } }),
    preview: (caseId: string, content: Content, signal?: AbortSignal) => client.post<ReplyPreview>(`/cases/${caseId}/preview`, { content }, { signal }),

    events: (after: number, limit = 500) => client.get<{ items: ParleyEvent[]; lastSeq: number }>(`/events${queryString({ after, limit })}`),

    skills: () => client.get<{ items: Skill[] }>('/skills'),
    users: () => client.get<{ items: UserSummary[] }>('/users'),
    channelTypes: () => client.get<{ items: ChannelTypeInfo[] }>('/channel-types'),

    // Routing (ROUTING-CONTRACT.md).
    myState: () => client.get<AgentState>('/agents/me/state'),
    setMyState: (state: 'available' | 'unavailable', reasonCode?: string) =>
      client.put<AgentState>('/agents/me/state', reasonCode ? { state, reasonCode } : { state }),
    idleReasons: () => client.get<{ items: IdleReason[] }>('/idle-reasons'),
    agents: () => client.get<{ items: AgentRow[] }>('/agents'),
    queues: () => client.get<{ items: QueueRow[] }>('/queues'),
    transfer: (caseId: string, request: TransferRequest) => client.post<Case>(`/cases/${caseId}/transfer`, request),
    accept: (caseId: string) => client.post<Case>(`/cases/${caseId}/accept`),
    decline: (caseId: string) => client.post<Case>(`/cases/${caseId}/decline`),
  };
}

export type ParleyApi = ReturnType<typeof parleyApi>;

function queryString(params: Record<string, string | number | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) search.set(key, value.join(','));
    } else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
