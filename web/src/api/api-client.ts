// A small fetch wrapper: JSON in and out, the bearer token, and API.md §2 errors as ApiError.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Array<{ field?: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  // The server answered, but it has no such route (a feature it does not run, e.g. routing).
  get isMissingRoute(): boolean {
    return this.status === 404;
  }
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class ApiClient {
  private token: string | null = null;

  // Called when the server refuses the token (expired or revoked): the app signs out.
  constructor(private readonly onUnauthorized: () => void = () => undefined) {}

  setToken(token: string | null): void {
    this.token = token;
  }

  get = <T>(path: string, options?: RequestOptions) => this.request<T>('GET', path, options);
  post = <T>(path: string, body?: unknown, options?: RequestOptions) => this.request<T>('POST', path, { ...options, body });
  put = <T>(path: string, body?: unknown, options?: RequestOptions) => this.request<T>('PUT', path, { ...options, body });
  patch = <T>(path: string, body?: unknown, options?: RequestOptions) => this.request<T>('PATCH', path, { ...options, body });

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection.');
    }
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const body = (parsed ?? {}) as { code?: string; message?: string; details?: ApiError['details'] };
      const error = new ApiError(response.status, body.code ?? 'ERROR', body.message ?? response.statusText, body.details ?? []);
      if (response.status === 401 && this.token && !path.startsWith('/auth/')) this.onUnauthorized();
      throw error;
    }
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}
