import { RecordingHttpServer, type FakeAnswer, type RecordedRequest } from './recording-http-server';

// A local Telegram Bot API (https://core.telegram.org/bots/api#making-requests):
//   POST /bot<token>/<method>   params as application/x-www-form-urlencoded (structured fields
//                               JSON-encoded inside a field, as node-telegram-bot-api sends them),
//                               application/json or multipart/form-data
//                               → {"ok":true,"result":…} or {"ok":false,"error_code","description","parameters"?}
//   GET  /file/bot<token>/<file_path>  the bytes of a file named by getFile
// An unknown token answers 401 Unauthorized and a malformed one 404 Not Found, as Telegram does.

export interface TelegramApiCall {
  token: string;
  method: string;
  // Decoded params: structured fields (reply_markup, allowed_updates…) parsed from their JSON.
  params: Record<string, any>;
  contentType: string;
}

export interface FakeFile {
  path: string;
  data: Buffer;
  // What the file server answers as Content-Type (Telegram's is often application/octet-stream).
  contentType?: string;
}

// Fields whose value is JSON (arrays and objects) in the Bot API.
const STRUCTURED = new Set(['reply_markup', 'reply_parameters', 'link_preview_options', 'entities', 'caption_entities', 'allowed_updates', 'media']);
const BOT = { id: 7012345678, is_bot: true, first_name: 'Acme Support', username: 'acme_support_bot' };

export class TelegramApiFake extends RecordingHttpServer {
  readonly calls: TelegramApiCall[] = [];
  // File paths downloaded from /file/bot<token>/…
  readonly downloads: string[] = [];
  // Tokens of bots that exist; any other well-formed token answers 401.
  readonly tokens = new Set<string>();
  // file_id → the file getFile describes and the file server serves.
  readonly files = new Map<string, FakeFile>();
  // Overrides the answer to the n-th call (1-based, all methods counted); undefined → the normal answer.
  respond: (call: TelegramApiCall, n: number) => FakeAnswer | undefined = () => undefined;
  private messageIds = 5000;

  callsTo(method: string): TelegramApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.downloads.length = 0;
    this.respond = () => undefined;
  }

  protected answer(request: RecordedRequest): FakeAnswer {
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(request.path);
    if (file) return this.download(file[1]!, decodeURIComponent(file[2]!));
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.path);
    if (!match) return apiError(404, 'Not Found');
    const [, token, method] = match as unknown as [string, string, string];
    if (!/^\d+:[\w-]+$/.test(token)) return apiError(404, 'Not Found');
    if (!this.tokens.has(token)) return apiError(401, 'Unauthorized');
    const contentType = request.headers['content-type'] ?? '';
    const call: TelegramApiCall = { token, method, params: decodeParams(request, contentType), contentType };
    this.calls.push(call);
    const override = this.respond(call, this.calls.length);
    if (override) return override;
    return this.result(call);
  }

  private result(call: TelegramApiCall): FakeAnswer {
    const { params } = call;
    switch (call.method) {
      case 'setWebhook':
        if (typeof params.url !== 'string' || !/^https?:\/\//.test(params.url)) return apiError(400, 'Bad Request: bad webhook: Failed to resolve host: Name or service not known');
        return { status: 200, body: { ok: true, result: true, description: 'Webhook was set' } };
      case 'answerCallbackQuery':
        if (!params.callback_query_id) return apiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        return ok(true);
      case 'getFile': {
        const file = this.files.get(String(params.file_id));
        if (!file) return apiError(400, 'Bad Request: invalid file_id');
        return ok({ file_id: params.file_id, file_unique_id: `u${file.path.length}`, file_size: file.data.length, file_path: file.path });
      }
      case 'sendMessage':
        if (!params.text) return apiError(400, 'Bad Request: message text is empty');
        return ok(this.message(params, { text: params.text }));
      case 'sendPhoto':
        return ok(this.message(params, { photo: [{ file_id: `AgAC${this.messageIds}`, file_unique_id: `AQAD${this.messageIds}`, width: 1280, height: 960, file_size: 98765 }] }));
      case 'sendDocument':
        return ok(this.message(params, { document: { file_id: `BQAC${this.messageIds}`, file_unique_id: `AgAD${this.messageIds}`, file_name: String(params.document).split('/').pop() } }));
      default:
        return apiError(404, 'Not Found: method not found');
    }
  }

  // The Message Telegram returns for a send (https://core.telegram.org/bots/api#message).
  private message(params: Record<string, any>, body: Record<string, unknown>): Record<string, unknown> {
    const chatId = Number(params.chat_id);
    return {
      message_id: ++this.messageIds,
      from: BOT,
      chat: { id: Number.isFinite(chatId) ? chatId : 0, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      ...body,
      ...(params.reply_markup && { reply_markup: params.reply_markup }),
    };
  }

  private download(token: string, path: string): FakeAnswer {
    if (!this.tokens.has(token)) return apiError(401, 'Unauthorized');
    const file = [...this.files.values()].find((candidate) => candidate.path === path);
    this.downloads.push(path);
    if (!file) return apiError(404, 'Not Found');
    return { status: 200, body: file.data, headers: { 'content-type': file.contentType ?? 'application/octet-stream', 'content-length': String(file.data.length) } };
  }
}

export function apiError(status: number, description: string, parameters?: Record<string, unknown>): FakeAnswer {
  return { status, body: { ok: false, error_code: status, description, ...(parameters && { parameters }) } };
}

function ok(result: unknown): FakeAnswer {
  return { status: 200, body: { ok: true, result } };
}

function decodeParams(request: RecordedRequest, contentType: string): Record<string, any> {
  const params: Record<string, any> = Object.fromEntries(request.query);
  if (contentType.startsWith('application/json')) return { ...params, ...(request.raw ? JSON.parse(request.raw) : {}) };
  const fields = contentType.startsWith('multipart/form-data') ? multipartFields(request.raw, contentType) : [...new URLSearchParams(request.raw)];
  for (const [key, value] of fields) params[key] = STRUCTURED.has(key) ? JSON.parse(value) : value;
  return params;
}

// The text fields of a multipart body (files are not uploaded by Parley).
function multipartFields(raw: string, contentType: string): Array<[string, string]> {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) return [];
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .flatMap((part) => {
      const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
      const name = /name="([^"]+)"/.exec(head ?? '')?.[1];
      if (!name || /filename=/.test(head ?? '')) return [];
      return [[name, rest.join('\r\n\r\n').replace(/\r\n$/, '')] as [string, string]];
    });
}
