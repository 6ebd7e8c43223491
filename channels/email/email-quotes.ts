import sanitize from 'sanitize-html';

// Replies carry the whole conversation below the new text. Agents read the new part; the full
// message stays retrievable (the raw .eml). mailparser does not strip quotes (providers.md §6), so
// we cut at the markers the common clients write.

// "On Mon, 9 Nov 2026 at 18:02, Acme Support <support@…> wrote:" (Gmail, Apple Mail, Thunderbird)
// and its usual translations. Clients wrap the line when it is long, so up to three lines are
// joined before matching.
const ATTRIBUTION = [
  /^On\b.{0,300}\bwrote:\s*$/i,
  /^Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^Am\b.{0,300}\bschrieb\b.{0,100}:\s*$/i,
  /^El\b.{0,300}\bescribió:\s*$/i,
  /^Em\b.{0,300}\bescreveu:\s*$/i,
  /^Il giorno\b.{0,300}\bha scritto:\s*$/i,
  /^Op\b.{0,300}\bschreef\b.{0,100}:\s*$/i,
];

// Outlook's separators: "-----Original Message-----" (and translations), or a rule of underscores
// before the quoted header block.
const SEPARATOR = /^\s*(-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Mensagem original|Messaggio originale)\s*-{2,}|_{20,})\s*$/i;

// Outlook without a separator: "From: …" directly followed (within a few lines) by "Sent: …" or
// "Date: …" and "To:"/"Subject:".
const HEADER_FROM = /^\s*\*?(From|Von|De|Da|Van)\s*:\*?\s+\S/i;
const HEADER_FOLLOWERS = /^\s*\*?(Sent|Date|Gesendet|Datum|Envoyé|Enviado|Inviato|Verzonden|To|An|À|Para|A|Aan|Subject|Betreff|Objet|Asunto|Assunto|Oggetto|Onderwerp|Cc)\s*:/i;

export function stripQuotedText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const cut = quoteStart(lines);
  const kept = (cut === -1 ? lines : lines.slice(0, cut)).filter((line) => !/^\s*>/.test(line));
  const result = kept.join('\n').replace(/\s+$/, '').replace(/^\s*\n/, '');
  // A message that is nothing but a quote (a bare forward) is shown whole rather than as nothing.
  return result.trim() === '' ? text.trim() : result;
}

function quoteStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (SEPARATOR.test(line)) return i;
    for (let span = 1; span <= 3 && i + span <= lines.length; span++) {
      const joined = lines
        .slice(i, i + span)
        .map((l) => l.trim())
        .join(' ');
      if (ATTRIBUTION.some((pattern) => pattern.test(joined))) return i;
    }
    if (HEADER_FROM.test(line)) {
      const next = lines.slice(i + 1, i + 5).filter((l) => HEADER_FOLLOWERS.test(l));
      if (next.length >= 2) return i;
    }
  }
  return -1;
}

// The HTML equivalents: Gmail's `gmail_quote`, Apple Mail and Thunderbird's `type="cite"`,
// Thunderbird's `moz-cite-prefix`, Outlook's `divRplyFwdMsg` header block (everything after it is
// the quoted message) and Yahoo's `yahoo_quoted`.
const QUOTE_CLASSES = ['gmail_quote', 'gmail_attr', 'moz-cite-prefix', 'yahoo_quoted', 'protonmail_quote'];

export function stripQuotedHtml(html: string): string {
  // Outlook puts the quoted message after its header block, not inside it.
  const outlook = html.search(/<div[^>]+id=["']?(divRplyFwdMsg|appendonsend)\b/i);
  let source = outlook >= 0 ? html.slice(0, outlook) : html;
  const hr = source.search(/<hr[^>]*id=["']?stopSpelling/i);
  if (hr >= 0) source = source.slice(0, hr);
  return sanitize(source, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    exclusiveFilter: (frame) => {
      const classes = (frame.attribs.class ?? '').split(/\s+/);
      if (QUOTE_CLASSES.some((name) => classes.includes(name))) return true;
      return frame.tag === 'blockquote' && (frame.attribs.type ?? '').toLowerCase() === 'cite';
    },
  });
}
