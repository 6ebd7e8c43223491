import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseEntity } from '../cases/case.entity';
import { returnedRows } from '../database/pg-errors';
import type { MessageView } from '../messages/message-view';
import { MessagesService } from '../messages/messages.service';
import { outOfHoursReply } from './business-hours';
import { SkillRoutingService } from './skill-routing.service';

// The automatic reply a skill sends when a customer writes outside its business hours: once per
// case, through the normal outbound path, authored by the system.
@Injectable()
export class BusinessHoursService {
  constructor(
    private readonly skills: SkillRoutingService,
    private readonly messages: MessagesService,
  ) {}

  async afterCustomerMessage(tenantId: string, caseId: string, skillId: string | null, message: MessageView): Promise<boolean> {
    // Inbound auto-replies and bounces (`automated`, flagged by the email channel) never get one:
    // answering them would start a mail loop.
    if (!skillId || message.direction !== 'inbound' || message.automated) return false;
    const text = outOfHoursReply(await this.skills.cached(tenantId, skillId), message);
    if (!text) return false;
    const sent = await this.messages.sendSystemReply(tenantId, caseId, { text }, claimOnce);
    return sent !== null;
  }
}

// Stamps the case in the reply's own transaction: of two racing messages (or instances) only one
// finds the stamp empty.
async function claimOnce(m: EntityManager, c: CaseEntity): Promise<boolean> {
  const rows = returnedRows(await m.query('UPDATE cases SET out_of_hours_replied_at = now() WHERE id = $1 AND out_of_hours_replied_at IS NULL RETURNING id', [c.id]));
  return rows.length === 1;
}
