import { z } from 'zod';
import { isValidTimezone } from './business-hours';
import { ROUTING_MODES } from './skill-routing.entity';

// Request schemas of the routing API (validation and OpenAPI from one source).

const perFamily = z.number().int().min(0).max(1000);

export const capacity = z.object({ chat: perFamily, messaging: perFamily, email: perFamily }).strict();
export const capacityOverride = capacity.partial();

export const routingSettings = z.object({ capacity }).strict();

export const agentStateInput = z
  .object({
    state: z.enum(['available', 'unavailable']),
    reasonCode: z.string().trim().min(1).max(50).optional(),
  })
  .strict()
  .refine((b) => b.state === 'unavailable' || b.reasonCode === undefined, { path: ['reasonCode'], message: 'only with state unavailable' })
  .refine((b) => b.state === 'available' || b.reasonCode !== undefined, { path: ['reasonCode'], message: 'required with state unavailable' });

export const idleReasonInput = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,49}$/, 'lower-case letters, digits, "_", "." or "-", at most 50'),
    label: z.string().trim().min(1).max(100),
  })
  .strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 00:00 to 24:00');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const businessHours = z
  .object({
    timezone: z.string().refine(isValidTimezone, 'unknown IANA time zone'),
    weekly: z
      .array(
        z
          .object({ day: z.number().int().min(0).max(6), open: hhmm, close: hhmm })
          .strict()
          .refine((w) => w.close > w.open, { path: ['close'], message: 'must be after open' }),
      )
      .min(1)
      .max(70),
    holidays: z.array(isoDate).max(366).default([]),
  })
  .strict();

const seconds = z.number().int().min(1).max(365 * 86400);

export const slaTargets = z
  .array(
    z
      .object({
        priority: z.number().int().min(0).max(100).nullable(),
        firstResponseSeconds: seconds.optional(),
        nextResponseSeconds: seconds.optional(),
        resolutionSeconds: seconds.optional(),
      })
      .strict(),
  )
  .max(101)
  .refine((list) => new Set(list.map((t) => t.priority)).size === list.length, 'one entry per priority');

export const skillRoutingPatch = z
  .object({
    routingMode: z.enum(ROUTING_MODES),
    offerTimeoutSeconds: z.number().int().min(1).max(3600),
    businessHours: businessHours.nullable(),
    outOfHoursReply: z.string().trim().min(1).max(2000).nullable(),
    sla: slaTargets,
  })
  .partial()
  .strict();

export const transferInput = z
  .object({
    toAgentId: z.uuid().optional(),
    toSkillId: z.uuid().optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine((b) => b.toAgentId !== undefined || b.toSkillId !== undefined, { path: ['toAgentId'], message: 'toAgentId or toSkillId is required' });

export const queuesQuery = z.object({
  skillId: z.uuid().optional(),
  // Cases listed per queue (the length counts them all).
  limit: z.coerce.number().int().min(0).max(1000).default(100),
});
