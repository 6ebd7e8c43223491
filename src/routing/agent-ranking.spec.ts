import { type Candidate, rankCandidates } from './agent-ranking';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 24, 9, minutes));
const candidate = (userId: string, overrides: Partial<Candidate> = {}): Candidate => ({
  userId,
  proficiency: 10,
  idleSince: null,
  lastRoutedAt: null,
  load: 0,
  capacity: 3,
  declined: false,
  ...overrides,
});

describe('agent ranking', () => {
  it('push: highest proficiency first, then longest idle', () => {
    const ranked = rankCandidates(
      [
        candidate('a', { proficiency: 5, idleSince: at(0) }),
        candidate('b', { proficiency: 15, idleSince: at(30) }),
        candidate('c', { proficiency: 15, idleSince: at(10) }),
        candidate('d', { proficiency: 15, idleSince: null }),
      ],
      'push',
    );
    expect(ranked.map((c) => c.userId)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('leaves out agents without room in the family', () => {
    const ranked = rankCandidates([candidate('full', { proficiency: 20, load: 3 }), candidate('free', { proficiency: 1, load: 2 })], 'push');
    expect(ranked.map((c) => c.userId)).toEqual(['free']);
  });

  it('tries an agent who declined the case last', () => {
    const ranked = rankCandidates([candidate('decliner', { proficiency: 20, declined: true }), candidate('other', { proficiency: 1 })], 'push');
    expect(ranked.map((c) => c.userId)).toEqual(['other', 'decliner']);
  });

  it('round robin: whoever got a case of the skill longest ago, whatever the proficiency', () => {
    const ranked = rankCandidates(
      [candidate('expert', { proficiency: 20, lastRoutedAt: at(50) }), candidate('novice', { proficiency: 1, lastRoutedAt: at(5) }), candidate('new', { proficiency: 2 })],
      'round_robin',
    );
    expect(ranked.map((c) => c.userId)).toEqual(['new', 'novice', 'expert']);
  });

  it('breaks ties on the user id, so every instance agrees', () => {
    expect(rankCandidates([candidate('b'), candidate('a')], 'push').map((c) => c.userId)).toEqual(['a', 'b']);
    expect(rankCandidates([candidate('b'), candidate('a')], 'round_robin').map((c) => c.userId)).toEqual(['a', 'b']);
  });
});
