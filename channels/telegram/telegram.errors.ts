import { NetworkError, ParseError, TelegramApiError, TimeoutError } from 'node-telegram-bot-api';
import { ProviderError } from '../channel-adapter.port';

// Bot API failures → the core's error classes. Telegram answers {ok:false, error_code,
// description, parameters?}; error_code mirrors the HTTP status and the description is the only
// detail (https://core.telegram.org/bots/api#making-requests). The SDK surfaces it as
// TelegramApiError, and transport failures as NetworkError / TimeoutError / ParseError.

// 400s that name the chat or user: retrying, or sending anything else there, will not help.
// "chat not found", "user not found", "PEER_ID_INVALID", "CHAT_WRITE_FORBIDDEN", "have no rights
// to send a message", and a group upgraded to a supergroup (parameters.migrate_to_chat_id).
const RECIPIENT_400 = /chat not found|user not found|peer_id_invalid|chat_write_forbidden|have no rights to send|upgraded to a supergroup|chat_restricted|user is deactivated/i;

export function classifyTelegramError(error: unknown, method: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof TelegramApiError) {
    const reason = `Telegram ${method} ${error.errorCode}: ${error.description}`;
    const code = error.errorCode;
    // parameters.retry_after: seconds to wait (https://core.telegram.org/bots/api#responseparameters).
    if (code === 429) return new ProviderError('rate_limited', reason, error.retryAfter !== undefined ? error.retryAfter * 1000 : undefined);
    if (code >= 500) return new ProviderError('temporary', reason);
    // 401 Unauthorized: the token was revoked (@BotFather /revoke); 404 Not Found: no bot has
    // this token. Either way an admin must paste a working token.
    if (code === 401 || code === 404) return new ProviderError('auth_revoked', reason);
    // 403 Forbidden names the chat: "bot was blocked by the user", "user is deactivated", "bot was
    // kicked from the group chat", "bot can't initiate conversation with a user"…
    if (code === 403) return new ProviderError('invalid_recipient', reason);
    if (code === 400 && (RECIPIENT_400.test(error.description) || error.migrateToChatId !== undefined)) return new ProviderError('invalid_recipient', reason);
    // Anything else in the request itself (bad markup, text too long…) fails the same way again.
    return new ProviderError('permanent', reason);
  }
  if (error instanceof TimeoutError) return new ProviderError('temporary', `Telegram ${method}: no answer in time`);
  if (error instanceof NetworkError) return new ProviderError('temporary', `Telegram unreachable (${method}): ${causeOf(error)}`);
  // Not the Bot API's JSON: a proxy's error page, a cut connection.
  if (error instanceof ParseError) return new ProviderError('temporary', `Telegram ${method} answered something other than Bot API JSON`);
  return new ProviderError('temporary', `Telegram ${method} failed: ${error instanceof Error ? error.message : String(error)}`);
}

// fetch failures carry the system error (ECONNREFUSED, ENOTFOUND…) in their cause chain; the
// request URL, which holds the bot token, is never part of the message.
function causeOf(error: Error): string {
  let current: unknown = error.cause;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return 'network error';
}
