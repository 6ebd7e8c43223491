import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Test-only: whatsapp-web.js Message objects as the library builds them. wwebjs-message.json is
// shared/fixtures' (new Message(client, rawModel) on a synthetic model, without `_data`); the
// others were derived the same way, by running the library's own Message class (1.34.7) over
// synthetic raw models, so their key sets are the library's and `_data` is the raw model.
export const wwebjsFixture = (name: string): Record<string, any> => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
