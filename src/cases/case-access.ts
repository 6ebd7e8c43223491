import type { AuthUser } from '../auth/auth.decorators';

// What a user may see: admins and supervisors every case of their tenant; agents the cases
// assigned to them and the unassigned cases queued for one of their skills.
export interface CaseAccess {
  user: AuthUser;
  skillIds: string[];
}

export function canSee(access: CaseAccess, c: { tenantId: string; assigneeId: string | null; skillId: string | null }): boolean {
  if (c.tenantId !== access.user.tenantId) return false;
  if (access.user.role !== 'agent') return true;
  if (c.assigneeId === access.user.id) return true;
  return c.assigneeId === null && c.skillId !== null && access.skillIds.includes(c.skillId);
}
