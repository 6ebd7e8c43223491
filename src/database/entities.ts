import { CaseEntity } from '../cases/case.entity';
import { ChannelEntity } from '../channels/channel.entity';
import { ContactEntity, ContactIdentityEntity } from '../contacts/contact.entity';
import { EmailSourceEntity } from '../email/email-source.entity';
import { ImapStateEntity } from '../email/imap-state.entity';
import { OptOutEntity } from '../contacts/opt-out.entity';
import { EventEntity } from '../events/event.entity';
import { MediaEntity } from '../media/media.entity';
import { MessagePartEntity } from '../messages/message-part.entity';
import { MessageEntity } from '../messages/message.entity';
import { OutboundJobEntity } from '../outbound/outbound-job.entity';
import { AgentEntity, AgentLoadEntity, AgentPresenceEntity } from '../routing/agent.entity';
import { CaseAssignmentEntity } from '../routing/case-assignment.entity';
import { IdleReasonEntity } from '../routing/idle-reason.entity';
import { RoutingSettingsEntity } from '../routing/routing-settings.entity';
import { SkillRoutingEntity } from '../routing/skill-routing.entity';
import { SkillEntity } from '../skills/skill.entity';
import { TenantEntity } from '../tenants/tenant.entity';
import { UserEntity, UserSkillEntity } from '../users/user.entity';

export const ENTITIES = [
  TenantEntity,
  UserEntity,
  UserSkillEntity,
  SkillEntity,
  ChannelEntity,
  ContactEntity,
  ContactIdentityEntity,
  CaseEntity,
  MessageEntity,
  MessagePartEntity,
  OutboundJobEntity,
  EventEntity,
  OptOutEntity,
  AgentEntity,
  AgentPresenceEntity,
  AgentLoadEntity,
  CaseAssignmentEntity,
  SkillRoutingEntity,
  RoutingSettingsEntity,
  IdleReasonEntity,
  EmailSourceEntity,
  ImapStateEntity,
  MediaEntity,
];
