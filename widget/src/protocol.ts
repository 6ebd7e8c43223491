// The wire format of Parley's web chat (API.md §9 and §7), as the widget reads it.

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
export interface TimePicker {
  title: string;
  timezone: string;
  slots: Array<{ start: string; durationMinutes: number }>;
}
export interface RichLink {
  url: string;
  title?: string;
  imageUrl?: string;
}
export interface Attachment {
  url: string;
  contentType: string;
  name?: string;
}
export interface Postback {
  payload: string;
  title?: string;
}

export interface Content {
  text?: string;
  format?: string;
  buttons?: Button[];
  quickReplies?: QuickReply[];
  cards?: Card[];
  listPicker?: ListPicker;
  timePicker?: TimePicker;
  richLink?: RichLink;
  adaptiveCard?: Record<string, unknown>;
  attachments?: Attachment[];
  postback?: Postback;
}

export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

export interface ChatMessage {
  id: string;
  clientMessageId: string | null;
  direction: 'inbound' | 'outbound';
  author: { type: 'contact' | 'agent' | 'system'; name: string | null };
  content: Content;
  status: MessageStatus;
  createdAt: string;
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
}

export type SendAck = { message: ChatMessage; duplicate: boolean } | { error: ErrorBody };

export interface History {
  items: ChatMessage[];
  nextCursor: string | null;
}

export interface Typing {
  typing: boolean;
  author: { type: string; name: string | null };
}

export interface Upload {
  url: string;
  contentType: string;
  name: string;
  size: number;
}
