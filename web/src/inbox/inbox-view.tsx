import { useInbox } from '../app-context';
import { CaseView } from '../case/case-view';
import { CaseFilters } from './case-filters';
import { CaseList } from './case-list';

export function InboxView() {
  const view = useInbox((s) => s.view);
  const caseId = view.name === 'inbox' ? view.caseId : null;
  return (
    <div className="inbox">
      <nav className="inbox__list" aria-label="Case list">
        <CaseFilters />
        <CaseList />
      </nav>
      {caseId ? (
        <CaseView key={caseId} caseId={caseId} />
      ) : (
        <section className="case case--empty" aria-label="No case open">
          <p>Pick a case (j/k to move, Enter to open). Press ? for shortcuts.</p>
        </section>
      )}
    </div>
  );
}
