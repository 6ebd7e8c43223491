import type { ContactView } from '../contacts/contacts.service';
import type { CaseEntity, CaseStatus } from './case.entity';

export interface CaseView {
  id: string;
  channelId: string;
  channelType: string;
  status: CaseStatus;
  priority: number;
  skillId: string | null;
  assigneeId: string | null;
  contact: ContactView;
  subject: string | null;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
}

export function toCaseView(c: CaseEntity, contact: ContactView | undefined): CaseView {
  return {
    id: c.id,
    channelId: c.channelId,
    channelType: c.channelType,
    status: c.status,
    priority: c.priority,
    skillId: c.skillId,
    assigneeId: c.assigneeId,
    contact: contact ?? { id: c.contactId, name: null, identities: [] },
    subject: c.subject,
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
    lastMessageAt: iso(c.lastMessageAt),
    lastMessagePreview: c.lastMessagePreview,
  };
}

function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}
