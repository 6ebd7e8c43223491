import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-client';
import type { Content, ReplyPreview } from '../api/api.types';
import { useController } from '../app-context';

export interface PreviewState {
  preview: ReplyPreview | null;
  error: ApiError | null;
  loading: boolean;
}

const DEBOUNCE_MS = 250;

// The server renders the draft for the case's channel (POST /cases/:id/preview): the same
// renderer as the real send, so the preview cannot drift from what the customer receives.
export function usePreview(caseId: string, content: Content | null, enabled: boolean): PreviewState {
  const { api } = useController();
  const [state, setState] = useState<PreviewState>({ preview: null, error: null, loading: false });
  const key = enabled && content ? JSON.stringify(content) : '';

  useEffect(() => {
    if (!key) {
      setState({ preview: null, error: null, loading: false });
      return;
    }
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      api.preview(caseId, JSON.parse(key) as Content, abort.signal).then(
        (preview) => setState({ preview, error: null, loading: false }),
        (error: unknown) => {
          if (abort.signal.aborted) return;
          setState({ preview: null, error: error instanceof ApiError ? error : new ApiError(0, 'ERROR', String(error)), loading: false });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [api, caseId, key]);

  return state;
}
