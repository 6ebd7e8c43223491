import { ErrorCode, type WebAPICallError } from '@slack/web-api';
import { ProviderError } from '../channel-adapter.port';

// Web API failures → the core's error classes. Platform errors arrive as HTTP 200 with
// {ok:false, error:"<code>"}; the codes are listed per method, e.g.
// https://api.slack.com/methods/chat.postMessage#errors

// The token no longer works: an admin must reinstall the app or paste a new token.
const AUTH_ERRORS = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'org_login_required',
  'ekm_access_denied',
  'team_access_not_granted',
]);

// The conversation or person cannot receive this message; retrying will not help.
const RECIPIENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'user_not_visible',
  'user_disabled',
  'cannot_dm_bot',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'team_not_found',
]);

// Slack's own transient failures.
const TEMPORARY_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

export function classifySlackError(error: unknown): ProviderError {
  if (!isWebApiError(error)) {
    return new ProviderError('temporary', `Slack request failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  switch (error.code) {
    case ErrorCode.PlatformError: {
      const code = error.data.error;
      const reason = `Slack chat.postMessage failed: ${code}`;
      if (code === 'ratelimited' || code === 'rate_limited') return new ProviderError('rate_limited', reason);
      if (AUTH_ERRORS.has(code)) return new ProviderError('auth_revoked', reason);
      if (RECIPIENT_ERRORS.has(code)) return new ProviderError('invalid_recipient', reason);
      if (TEMPORARY_ERRORS.has(code)) return new ProviderError('temporary', reason);
      // msg_too_long, invalid_blocks, no_text…: the same message will fail again.
      return new ProviderError('permanent', reason);
    }
    case ErrorCode.RateLimitedError:
      // Retry-After, in seconds (https://api.slack.com/apis/rate-limits).
      return new ProviderError('rate_limited', `Slack rate limited the request (retry after ${error.retryAfter} s)`, error.retryAfter * 1000);
    case ErrorCode.HTTPError: {
      const reason = `Slack answered HTTP ${error.statusCode}`;
      if (error.statusCode === 429) return new ProviderError('rate_limited', reason, retryAfterMs(error.headers['retry-after']));
      if (error.statusCode === 408 || error.statusCode >= 500) return new ProviderError('temporary', reason);
      if (error.statusCode === 401 || error.statusCode === 403) return new ProviderError('auth_revoked', reason);
      return new ProviderError('permanent', reason);
    }
    case ErrorCode.RequestError:
      return new ProviderError('temporary', `Slack unreachable: ${error.original.message}`);
  }
}

function isWebApiError(error: unknown): error is WebAPICallError {
  if (!(error instanceof Error) || !('code' in error)) return false;
  const code: unknown = error.code;
  return code === ErrorCode.PlatformError || code === ErrorCode.RateLimitedError || code === ErrorCode.HTTPError || code === ErrorCode.RequestError;
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}
