import type { Visitor } from './visitor-token';

// The name a web chat visitor's contact is created with. A visitor's address is a random UUID,
// which means nothing to an agent: the name or email they gave at session start when they gave
// one, otherwise a label with a short suffix of their id, stable across their cases and enough
// to tell two anonymous visitors apart in a list.
export function visitorLabel(visitor: Pick<Visitor, 'id' | 'name' | 'email'>): string {
  const name = visitor.name?.trim();
  if (name) return name;
  const email = visitor.email?.trim().toLowerCase();
  if (email) return email;
  return `Web chat visitor #${visitor.id.replace(/-/g, '').slice(0, 6).toUpperCase()}`;
}
