import type { ErrorBody, Upload } from './protocol';

// The widget's HTTP calls to Parley (cross-origin: Parley answers CORS for these routes).
export class ChatApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ChatApi {
  constructor(
    private readonly baseUrl: string,
    private readonly channelId: string,
  ) {}

  async startSession(identity: { name?: string; email?: string }): Promise<string> {
    const body = await this.request('POST', 'sessions', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(identity) });
    return (body as { visitorToken: string }).visitorToken;
  }

  async upload(token: string, file: File): Promise<Upload> {
    const body = await this.request('POST', 'attachments', {
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': file.type || 'application/octet-stream',
        'x-file-name': encodeURIComponent(file.name),
      },
      body: file,
    });
    return body as Upload;
  }

  private async request(method: string, path: string, init: { headers: Record<string, string>; body?: BodyInit }): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/v1/chat/${encodeURIComponent(this.channelId)}/${path}`, { method, ...init });
    } catch {
      throw new ChatApiError(0, 'NETWORK', 'Cannot reach the chat service');
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!response.ok) {
      const error = (body ?? {}) as Partial<ErrorBody>;
      throw new ChatApiError(response.status, error.code ?? 'ERROR', error.message ?? `Request failed (${response.status})`);
    }
    return body;
  }
}
