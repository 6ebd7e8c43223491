import { useEffect, useState } from 'react';
import { CASE_STATUSES, CHANNEL_TYPES } from '../api/api.types';
import { useController, useInbox } from '../app-context';
import { channelLabel } from '../common/channel-icon';
import type { StatusFilter } from '../state/inbox.state';

// Status, channel, skill and free text, as the list endpoint filters them.
export function CaseFilters() {
  const controller = useController();
  const filters = useInbox((s) => s.filters);
  const skills = useInbox((s) => s.skills);
  const channelTypes = useInbox((s) => s.channelTypes);
  const [q, setQ] = useState(filters.q);
  const types = channelTypes.length ? channelTypes.map((t) => t.type) : [...CHANNEL_TYPES];

  // Search as you type, once the typing pauses.
  useEffect(() => {
    if (q === filters.q) return;
    const timer = setTimeout(() => controller.setFilters({ q }), 300);
    return () => clearTimeout(timer);
  }, [q, filters.q, controller]);

  return (
    <form role="search" aria-label="Filter cases" className="filters" onSubmit={(e) => e.preventDefault()}>
      <label className="filters__search">
        <span className="sr-only">Search cases</span>
        <input id="case-search" type="search" placeholder="Search (/)" value={q} onChange={(e) => setQ(e.target.value)} aria-keyshortcuts="/" />
      </label>
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" value={filters.status} onChange={(e) => controller.setFilters({ status: e.target.value as StatusFilter })}>
          <option value="active">Active</option>
          <option value="all">All</option>
          {CASE_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status[0]!.toUpperCase() + status.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-channel">Channel</label>
        <select id="filter-channel" value={filters.channelType} onChange={(e) => controller.setFilters({ channelType: e.target.value })}>
          <option value="">All</option>
          {types.map((type) => (
            <option key={type} value={type}>
              {channelLabel(type)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-skill">Skill</label>
        <select id="filter-skill" value={filters.skillId} onChange={(e) => controller.setFilters({ skillId: e.target.value })}>
          <option value="">All</option>
          {skills.map((skill) => (
            <option key={skill.id} value={skill.id}>
              {skill.name}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
