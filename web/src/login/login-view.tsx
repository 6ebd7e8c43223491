import { type FormEvent, useState } from 'react';
import { useController, useInbox } from '../app-context';
import { messageOf } from '../state/inbox.controller';

export function LoginView() {
  const controller = useController();
  const notice = useInbox((s) => s.announcement);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await controller.login(email.trim(), password);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login__form" aria-labelledby="login-title" onSubmit={submit}>
        <h1 id="login-title">Sign in to Parley</h1>
        {notice && notice !== 'Signed out' && <p className="hint">{notice}</p>}
        <label>
          <span>Email</span>
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </label>
        <label>
          <span>Password</span>
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p role="alert" className="login__error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
