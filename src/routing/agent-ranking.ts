// Who gets the next case of a queue. Pure: the assignment service loads the candidates (agents
// that hold the skill and are available) and asks this for the order to try them in.

export type OfferMode = 'push' | 'round_robin';

export interface Candidate {
  userId: string;
  proficiency: number;
  // When the agent last became available or was last offered a case: the longest idle first.
  idleSince: Date | null;
  // When the agent last received a case of this skill: round robin turns on it.
  lastRoutedAt: Date | null;
  load: number;
  capacity: number;
  // The agent declined this very case: tried only after everybody else.
  declined: boolean;
}

const time = (d: Date | null): number => (d ? d.getTime() : Number.NEGATIVE_INFINITY);

// Eligible candidates (with room in the case's channel family), best first. Push: highest
// proficiency, then longest idle. Round robin: whoever received a case of this skill longest
// ago, whatever their proficiency. Ties break on the user id so every instance agrees.
export function rankCandidates(candidates: readonly Candidate[], mode: OfferMode): Candidate[] {
  return candidates
    .filter((c) => c.load < c.capacity)
    .sort((a, b) => {
      if (a.declined !== b.declined) return a.declined ? 1 : -1;
      if (mode === 'push') {
        if (a.proficiency !== b.proficiency) return b.proficiency - a.proficiency;
        if (time(a.idleSince) !== time(b.idleSince)) return time(a.idleSince) - time(b.idleSince);
      } else if (time(a.lastRoutedAt) !== time(b.lastRoutedAt)) {
        return time(a.lastRoutedAt) - time(b.lastRoutedAt);
      }
      return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
    });
}
