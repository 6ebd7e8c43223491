// A valid config per channel kind (API.md §4), with recognisable fake secrets, and invalid ones
// with the field the error must name.
export const VALID_CONFIGS = {
  sms: { provider: 'twilio', accountSid: 'AC00000000000000000000000000000001', authToken: 'sms-secret-auth-token-0001', from: '+15550000001' },
  whatsapp: { provider: 'cloud', phoneNumberId: '106540352242922', accessToken: 'wa-secret-access-token-0002', appSecret: 'wa-secret-app-secret-0003', verifyToken: 'wa-secret-verify-token-0004' },
  // Creating a Telegram channel calls setWebhook: a closed local port keeps tests off the real API.
  telegram: { botToken: '123456:tg-secret-bot-token-0005', secretToken: 'tg-secret-token-0006', apiBaseUrl: 'http://127.0.0.1:9' },
  slack: { botToken: 'xoxb-slack-secret-bot-token-0007', signingSecret: 'slack-secret-signing-0008' },
  teams: { appId: '00000000-0000-4000-8000-0000000000aa', appPassword: 'teams-secret-password-0009' },
  email: { address: 'support@example.com', smtp: { host: 'smtp.example.com', port: 587, secure: false, user: 'support', pass: 'email-secret-pass-0010' } },
  chat: { allowedOrigins: ['https://shop.example.com'] },
  byoc: { callbackUrl: 'https://integrator.example.com/parley', capabilities: ['buttons', 'markdown'] },
} satisfies Record<string, Record<string, unknown>>;

export const INVALID_CONFIGS: Array<{ type: string; config: Record<string, unknown>; field: string }> = [
  { type: 'sms', config: { provider: 'twilio', accountSid: 'AC1', from: '+15550000001' }, field: 'config.authToken' },
  { type: 'whatsapp', config: { provider: 'cloud', accessToken: 'a', appSecret: 'b', verifyToken: 'c' }, field: 'config.phoneNumberId' },
  { type: 'telegram', config: { secretToken: 'x' }, field: 'config.botToken' },
  { type: 'slack', config: { botToken: 'xoxb-1' }, field: 'config.signingSecret' },
  { type: 'teams', config: { appPassword: 'p' }, field: 'config.appId' },
  { type: 'email', config: { address: 'support@example.com', smtp: { host: 'smtp.example.com', port: 'twenty-five', secure: false } }, field: 'config.smtp.port' },
  { type: 'chat', config: { allowedOrigins: 'https://shop.example.com' }, field: 'config.allowedOrigins' },
  { type: 'byoc', config: { callbackUrl: 'https://integrator.example.com/parley', capabilities: ['telepathy'] }, field: 'config.capabilities.0' },
  { type: 'byoc', config: { callbackUrl: 'not a url' }, field: 'config.callbackUrl' },
];
