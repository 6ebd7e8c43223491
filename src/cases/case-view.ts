import type { ContactView } from '../contacts/contacts.service';
import type { CaseEntity, CaseStatus, RoutingState } from './case.entity';

export interface CaseRoutingView {
  state: RoutingState | null;
  offeredTo: string | null;
  offerExpiresAt: string | null;
  queuedAt: string | null;
}

export interface CaseSlaView {
  firstResponseDueAt: string | null;
  firstResponseBreachedAt: string | null;
  firstRespondedAt: string | null;
  nextResponseDueAt: string | null;
  nextResponseBreachedAt: string | null;
  resolutionDueAt: string | null;
  resolutionBreachedAt: string | null;
  resolvedAt: string | null;
}

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
  routing: CaseRoutingView;
  sla: CaseSlaView;
}

export function toCaseView(c: CaseEntity, contact: ContactView | undefined): CaseView {
  const routed = c.routingState ?? null;
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
    routing: {
      state: routed,
      offeredTo: routed === 'offered' ? (c.offeredTo ?? null) : null,
      offerExpiresAt: routed === 'offered' ? iso(c.offerExpiresAt) : null,
      queuedAt: routed === 'queued' || routed === 'offered' ? iso(c.queuedAt) : null,
    },
    sla: {
      firstResponseDueAt: iso(c.firstResponseDueAt),
      firstResponseBreachedAt: iso(c.firstResponseBreachedAt),
      firstRespondedAt: iso(c.firstRespondedAt),
      nextResponseDueAt: iso(c.nextResponseDueAt),
      nextResponseBreachedAt: iso(c.nextResponseBreachedAt),
      resolutionDueAt: iso(c.resolutionDueAt),
      resolutionBreachedAt: iso(c.resolutionBreachedAt),
      resolvedAt: iso(c.resolvedAt),
    },
  };
}

function iso(d: Date | string | null | undefined): string | null {
  return d === null || d === undefined ? null : new Date(d).toISOString();
}
