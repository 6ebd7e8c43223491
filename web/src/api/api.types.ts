// The wire contract the app reads (API.md §3, §6–§8, and the routing contract). Written here
// rather than imported from the server so that the browser bundle never pulls server code.

export type Role = 'admin' | 'supervisor' | 'agent';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string;
}

export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  user: SessionUser;
}

export const CASE_STATUSES = ['new', 'open', 'pending', 'escalated', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CHANNEL_TYPES = ['sms', 'whatsapp', 'telegram', 'slack', 'teams', 'email', 'chat', 'byoc'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface Contact {
  id: string;
  name: string | null;
  identities: Array<{ channelType: string; address: string }>;
}

export interface CaseRouting {
  state: 'queued' | 'offered' | 'assigned' | null;
  offeredTo: string | null;
  offerExpiresAt: string | null;
  queuedAt: string | null;
}

export interface Case {
  id: string;
  channelId: string;
  channelType: string;
  status: CaseStatus;
  priority: number;
  skillId: string | null;
  assigneeId: string | null;
  contact: Contact;
  subject: string | null;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  // Present once routing is on the server.
  routing?: CaseRouting;
}

export interface Button {
  title: string;
  payload?: string;
  url?: string;
}
export interface QuickReply {
  title: string;
  payload: string;
}
export interface Card {
  title: string;
  subtitle?: string;
  imageUrl?: string;
  buttons?: Button[];
}
export interface ListPicker {
  title: string;
  items: Array<{ title: string; subtitle?: string; payload: string }>;
}
export interface TimeSlot {
  start: string;
  durationMinutes: number;
}
export interface TimePicker {
  title: string;
  timezone: string;
  slots: TimeSlot[];
}
export interface Attachment {
  url: string;
  contentType: string;
  name?: string;
}

export interface Content {
  text?: string;
  format?: string;
  buttons?: Button[];
  quickReplies?: QuickReply[];
  cards?: Card[];
  listPicker?: ListPicker;
  timePicker?: TimePicker;
  richLink?: { url: string; title?: string; imageUrl?: string };
  adaptiveCard?: Record<string, unknown>;
  template?: { name: string; language: string; parameters?: unknown[] };
  attachments?: Attachment[];
  postback?: { payload: string; title?: string };
}

export const MESSAGE_STATUSES = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface Message {
  id: string;
  caseId: string;
  direction: 'inbound' | 'outbound';
  internal: boolean;
  author: { type: 'contact' | 'agent' | 'system'; id: string | null };
  content: Content;
  rendered: Content | null;
  status: MessageStatus;
  externalId: string | null;
  error: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AgentState {
  userId: string;
  state: 'available' | 'unavailable' | 'offline';
  reasonCode: string | null;
  source: 'agent' | 'supervisor' | 'system' | 'teams';
  since: string;
}

export type ParleyEvent =
  | { seq: number; type: 'case.created' | 'case.updated'; data: Case; at: string }
  | { seq: number; type: 'message.created' | 'message.updated'; data: { caseId: string; message: Message }; at: string }
  | { seq: number; type: 'agent.state'; data: AgentState; at: string };

export const EVENT_TYPES = ['case.created', 'case.updated', 'message.created', 'message.updated', 'agent.state'] as const;

// A web chat customer started or stopped typing in a case (README "Web chat"). Ephemeral: no
// seq, never replayed, so it is not a ParleyEvent.
export interface TypingEvent {
  type: 'typing';
  data: { caseId: string; typing: boolean; author: { type: 'contact' } };
  at: string;
}

export interface Skill {
  id: string;
  name: string;
}

export interface UserSummary {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export interface ChannelTypeInfo {
  type: string;
  native: string[];
  limits: Record<string, number | string>;
  configurable?: boolean;
}

export interface ReplyPreview {
  channelType: string;
  rendered: Content;
  text: string;
  options: Array<{ index: number; title: string; payload: string }>;
  parts: string[];
  sms: { encoding: string; segments: number; maxSegments: number | null } | null;
}

export interface IdleReason {
  code: string;
  label: string;
}

export interface AgentRow {
  user: UserSummary;
  state: AgentState;
  load: Record<string, number>;
  capacity: Record<string, number>;
  skills: Array<{ skillId: string; proficiency: number }>;
}

export interface QueueRow {
  skillId: string;
  skillName: string;
  routingMode: string;
  length: number;
  oldestWaitSeconds: number | null;
  cases: Array<{ caseId: string; position: number; priority: number; queuedAt: string }>;
}
