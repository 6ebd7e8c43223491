import type { LoginResult } from '../api/api.types';
import type { Session } from './inbox.state';

// The session survives a reload (localStorage) until the token expires.
const KEY = 'parley.session';

export function loadSession(now = Date.now()): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (typeof session.token !== 'string' || !session.user || session.expiresAt <= now) return null;
    return session;
  } catch {
    return null;
  }
}

export function saveSession(login: LoginResult, now = Date.now()): Session {
  const session: Session = { token: login.accessToken, user: login.user, expiresAt: now + login.expiresIn * 1000 };
  localStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}
