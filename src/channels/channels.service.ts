import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { ChannelContext, ChannelKind, VisitorConnections } from '../../channels/channel-adapter.port';
import { getAdapter, getDefinition } from '../../channels/channel-registry';
import { VISITOR_CONNECTIONS } from '../chat/visitor-connections.token';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { NotFoundError } from '../common/errors';
import { SecretBox } from '../common/secret-box';
import { parseOrThrow } from '../common/zod';
import type { ChannelCapabilities } from '../content/capabilities.types';
import { MediaService } from '../media/media.service';
import { SkillsService } from '../skills/skills.service';
import { ChannelEntity, type ChannelHealth } from './channel.entity';
import { ChannelSessions } from './channel-sessions.registry';
import { joinSecrets, maskSecrets, mergePatch, splitSecrets } from './secret-fields';

type Obj = Record<string, unknown>;

export interface ChannelView {
  id: string;
  type: ChannelKind;
  name: string;
  defaultSkillId: string;
  enabled: boolean;
  webhookUrl: string;
  config: Obj;
  health: ChannelHealth;
  healthReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateChannelInput {
  type: ChannelKind;
  name: string;
  defaultSkillId: string;
  enabled?: boolean;
  config: unknown;
}

export interface UpdateChannelInput {
  name?: string;
  defaultSkillId?: string;
  enabled?: boolean;
  config?: Obj;
}

// A channel as the runtime uses it: decrypted config, adapter context, capabilities.
export interface LoadedChannel {
  entity: ChannelEntity;
  context: ChannelContext;
  capabilities: ChannelCapabilities;
}

const CACHE_MS = 5000;

@Injectable()
export class ChannelsService {
  private readonly box: SecretBox;
  // Webhooks and the outbound worker read the same channel constantly; a short cache saves a
  // query and a decryption per message. Local writes invalidate it; other processes see a
  // change within CACHE_MS.
  private readonly cache = new Map<string, { at: number; channel: LoadedChannel }>();

  constructor(
    @InjectRepository(ChannelEntity) private readonly channels: Repository<ChannelEntity>,
    private readonly skills: SkillsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: ChannelSessions,
    private readonly media: MediaService,
    // The web chat's delivery path (src/chat), handed to adapters in their context.
    @Optional() @Inject(VISITOR_CONNECTIONS) private readonly visitors?: VisitorConnections,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  async create(tenantId: string, input: CreateChannelInput): Promise<ChannelView & { secret?: string }> {
    const definition = getDefinition(input.type);
    const config = parseOrThrow(definition.configSchema, input.config ?? {}, { prefix: 'config' }) as Obj;
    await this.skills.assertExist(tenantId, [input.defaultSkillId], 'defaultSkillId');
    // BYOC: the signing secret is ours to generate, shown once in this response.
    const byocSecret = input.type === 'byoc' ? randomBytes(32).toString('hex') : undefined;
    if (byocSecret) config.secret = byocSecret;
    const { visible, secrets } = splitSecrets(config, definition.secretFields);
    const entity = await this.channels.save(
      this.channels.create({
        tenantId,
        type: input.type,
        name: input.name,
        defaultSkillId: input.defaultSkillId,
        enabled: input.enabled ?? true,
        config: visible,
        secrets: this.box.seal(JSON.stringify(secrets)),
      }),
    );
    await this.configured(entity.id);
    this.sessions.changed(entity.id);
    const view = this.toView(await this.entity(tenantId, entity.id));
    return byocSecret ? { ...view, secret: byocSecret } : view;
  }

  async list(tenantId: string): Promise<ChannelView[]> {
    return (await this.channels.find({ where: { tenantId }, order: { createdAt: 'ASC' } })).map((c) => this.toView(c));
  }

  async get(tenantId: string, id: string): Promise<ChannelView> {
    return this.toView(await this.entity(tenantId, id));
  }

  async update(tenantId: string, id: string, input: UpdateChannelInput): Promise<ChannelView> {
    const entity = await this.entity(tenantId, id);
    const patch: Partial<ChannelEntity> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.enabled !== undefined) patch.enabled = input.enabled;
    if (input.defaultSkillId !== undefined) {
      await this.skills.assertExist(tenantId, [input.defaultSkillId], 'defaultSkillId');
      patch.defaultSkillId = input.defaultSkillId;
    }
    if (input.config !== undefined) {
      const definition = getDefinition(entity.type);
      const current = joinSecrets(entity.config, this.secretsOf(entity));
      const secret = current.secret;
      // The BYOC secret is server-generated: never taken from a PATCH.
      const patchConfig = { ...input.config };
      delete patchConfig.secret;
      const merged = mergePatch(current, patchConfig, definition.secretFields);
      delete merged.secret;
      const config = parseOrThrow(definition.configSchema, merged, { prefix: 'config' }) as Obj;
      if (secret !== undefined) config.secret = secret;
      const { visible, secrets } = splitSecrets(config, definition.secretFields);
      patch.config = visible;
      patch.secrets = this.box.seal(JSON.stringify(secrets));
      // New credentials: give the channel another chance.
      patch.health = 'ok';
      patch.healthReason = null;
    }
    if (Object.keys(patch).length) await this.channels.update({ tenantId, id }, patch as QueryDeepPartialEntity<ChannelEntity>);
    this.cache.delete(id);
    if (input.config !== undefined) await this.configured(id);
    this.sessions.changed(id);
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.entity(tenantId, id);
    await this.channels.softDelete({ tenantId, id });
    this.cache.delete(id);
    this.sessions.changed(id);
  }

  // Enabled, not deleted channels of one kind, across tenants: for the owners of live sessions
  // starting theirs at boot.
  async enabledIds(kind: ChannelKind): Promise<string[]> {
    return (await this.channels.find({ select: { id: true }, where: { type: kind, enabled: true }, order: { createdAt: 'ASC' } })).map((c) => c.id);
  }

  // For webhooks (no tenant known yet: the channel id in the URL decides) and the outbound
  // worker. Returns null for an unknown, deleted or disabled channel.
  async load(id: string, options: { includeDisabled?: boolean } = {}): Promise<LoadedChannel | null> {
    const hit = this.cache.get(id);
    let channel = hit && Date.now() - hit.at < CACHE_MS ? hit.channel : null;
    if (!channel) {
      const entity = await this.channels.findOneBy({ id });
      if (!entity) return null;
      const definition = getDefinition(entity.type);
      const config = joinSecrets(entity.config, this.secretsOf(entity));
      channel = {
        entity,
        context: {
          channelId: entity.id,
          webhookUrl: this.webhookUrl(entity.id),
          config,
          media: this.media.sinkFor(entity.tenantId),
          session: () => this.sessions.get(entity.id),
          ...(this.visitors ? { visitors: this.visitors } : {}),
        },
        capabilities: definition.capabilities(config as never),
      };
      this.cache.set(id, { at: Date.now(), channel });
    }
    if (!channel.entity.enabled && !options.includeDisabled) return null;
    return channel;
  }

  async markHealth(id: string, health: ChannelHealth, reason: string | null): Promise<void> {
    await this.channels.update({ id }, { health, healthReason: reason });
    this.cache.delete(id);
  }

  // Lets the adapter register itself with the provider (Telegram's setWebhook). The channel is
  // saved either way; a failure shows on the channel for the admin to act on.
  private async configured(id: string): Promise<void> {
    const channel = await this.load(id, { includeDisabled: true });
    const adapter = channel ? getAdapter(channel.entity.type) : undefined;
    if (!channel || !adapter?.onConfigured) return;
    try {
      await adapter.onConfigured(channel.context);
    } catch (error) {
      await this.markHealth(id, 'needs_attention', error instanceof Error ? error.message : String(error));
    }
  }

  webhookUrl(id: string): string {
    return `${this.config.publicUrl}/webhooks/${id}`;
  }

  private async entity(tenantId: string, id: string): Promise<ChannelEntity> {
    const entity = await this.channels.findOneBy({ tenantId, id });
    if (!entity) throw new NotFoundError('Channel');
    return entity;
  }

  private secretsOf(entity: ChannelEntity): Obj {
    return entity.secrets ? (JSON.parse(this.box.open(entity.secrets)) as Obj) : {};
  }

  private toView(entity: ChannelEntity): ChannelView {
    return {
      id: entity.id,
      type: entity.type,
      name: entity.name,
      defaultSkillId: entity.defaultSkillId,
      enabled: entity.enabled,
      webhookUrl: this.webhookUrl(entity.id),
      config: maskSecrets(entity.config, this.secretsOf(entity)),
      health: entity.health,
      healthReason: entity.healthReason,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
    };
  }
}
