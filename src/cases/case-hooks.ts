import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import type { EventBatch } from '../events/events.service';
import type { MessageEntity } from '../messages/message.entity';
import type { CaseEntity } from './case.entity';

export interface CaseUpdateContext {
  manager: EntityManager;
  events: EventBatch;
  user: AuthUser;
  // The case as locked by the update, before the change.
  before: Readonly<CaseEntity>;
  // The columns the request changes (status, assigneeId, skillId, priority).
  changes: Readonly<Partial<CaseEntity>>;
  // Work to start once the transaction committed (never inside it: on PGlite it would wait for
  // the transaction's own connection).
  afterCommit: (task: () => void) => void;
}

export interface CaseReplyContext {
  manager: EntityManager;
  case: Readonly<CaseEntity>;
  // An agent's reply to the customer, just stored (internal notes do not reach hooks).
  message: Readonly<MessageEntity>;
}

// What other modules (routing) do inside the core's own transactions, so their bookkeeping
// commits or rolls back with the change itself. Each hook returns more columns of the case to
// write, or throws a DomainError to refuse the change.
export interface CaseHook {
  beforeUpdate?(context: CaseUpdateContext): Promise<Partial<CaseEntity>>;
  onAgentReply?(context: CaseReplyContext): Promise<Partial<CaseEntity>>;
}

@Injectable()
export class CaseHooks {
  private readonly hooks: CaseHook[] = [];

  register(hook: CaseHook): void {
    this.hooks.push(hook);
  }

  async beforeUpdate(context: CaseUpdateContext): Promise<Partial<CaseEntity>> {
    const out: Partial<CaseEntity> = {};
    for (const hook of this.hooks) if (hook.beforeUpdate) Object.assign(out, await hook.beforeUpdate(context));
    return out;
  }

  async onAgentReply(context: CaseReplyContext): Promise<Partial<CaseEntity>> {
    const out: Partial<CaseEntity> = {};
    for (const hook of this.hooks) if (hook.onAgentReply) Object.assign(out, await hook.onAgentReply(context));
    return out;
  }
}
