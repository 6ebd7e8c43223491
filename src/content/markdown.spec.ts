import { escapeMarkdownV2, escapeSlack, markdownToDialect } from './markdown';

const TELEGRAM_RESERVED = ['_', '*', '[', ']', '(', ')', '~', '`', '>', '#', '+', '-', '=', '|', '{', '}', '.', '!', '\\'];

// A MarkdownV2 string is valid when no reserved character appears unescaped outside the entity
// markers we wrote on purpose; this strips escapes and the given markers and looks for leftovers.
function unescapedReserved(text: string): string[] {
  return [...text.replace(/\\[\s\S]/g, '')].filter((c) => TELEGRAM_RESERVED.includes(c));
}

describe('escapeMarkdownV2', () => {
  it.each(TELEGRAM_RESERVED)('escapes %j', (char) => {
    expect(escapeMarkdownV2(`a${char}b`)).toBe(`a\\${char}b`);
  });

  it('escapes every reserved character in one string and nothing else', () => {
    const all = TELEGRAM_RESERVED.join('');
    expect(escapeMarkdownV2(`${all} ok ñ 1`)).toBe(`${TELEGRAM_RESERVED.map((c) => `\\${c}`).join('')} ok ñ 1`);
  });
});

describe('escapeSlack', () => {
  it('escapes only &, < and >', () => {
    expect(escapeSlack('a & b < c > d *e* _f_')).toBe('a &amp; b &lt; c &gt; d *e* _f_');
  });
});

describe('markdownToDialect', () => {
  const markdown = '# Hi Ana\n\nYour **order** is *late* ~~or not~~. See [the FAQ](https://e.com/faq_(v2)?a=1&b=2) or https://e.com/x.\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n`a_b` and\n\n```\nif (x > 1) { y(); }\n```';

  it('writes Slack mrkdwn: *bold*, _italic_, ~strike~, <url|text>', () => {
    expect(markdownToDialect(markdown, 'slack-mrkdwn')).toBe(
      [
        '*Hi Ana*',
        'Your *order* is _late_ ~or not~. See <https://e.com/faq_(v2)?a=1&amp;b=2|the FAQ> or <https://e.com/x>.',
        '• one\n• two',
        '1. first\n2. second',
        '> quoted',
        '`a_b` and',
        '```\nif (x &gt; 1) { y(); }\n```',
      ].join('\n\n'),
    );
  });

  it('writes WhatsApp markup: *bold* _italic_ ~strike~, links spelled out', () => {
    expect(markdownToDialect(markdown, 'whatsapp')).toBe(
      [
        '*Hi Ana*',
        'Your *order* is _late_ ~or not~. See the FAQ (https://e.com/faq_(v2)?a=1&b=2) or https://e.com/x.',
        '- one\n- two',
        '1. first\n2. second',
        '> quoted',
        '`a_b` and',
        '```if (x > 1) { y(); }```',
      ].join('\n\n'),
    );
  });

  it('writes Telegram MarkdownV2 with every reserved character escaped outside entities', () => {
    const out = markdownToDialect(markdown, 'telegram-markdownv2');
    expect(out).toBe(
      [
        '*Hi Ana*',
        'Your *order* is _late_ ~or not~\\. See [the FAQ](https://e.com/faq_(v2\\)?a=1&b=2) or https://e\\.com/x\\.',
        '• one\n• two',
        '1\\. first\n2\\. second',
        '>quoted',
        '`a_b` and',
        '```\nif (x > 1) { y(); }\n```',
      ].join('\n\n'),
    );
  });

  it('escapes every reserved character of plain text for Telegram', () => {
    const text = 'Price: 10.50 (tax+fees) = 12! #deal {a|b} 1-2 [x] a>b ~ ` \\ _ *';
    const out = markdownToDialect(text.replace(/[\\`*_[\]#+\-.!>~|{}()]/g, '\\$&'), 'telegram-markdownv2');
    // The Markdown escapes were read as literal characters, then re-escaped for Telegram.
    expect(out).toBe(escapeMarkdownV2(text));
    expect(unescapedReserved(out)).toEqual([]);
  });

  it('escapes inside code only ` and \\ for Telegram', () => {
    expect(markdownToDialect('`a\\b` and ``x`y``', 'telegram-markdownv2')).toBe('`a\\\\b` and `x\\`y`');
  });

  it('never nests an entity inside itself', () => {
    expect(markdownToDialect('**bold *and* __strong__**', 'telegram-markdownv2')).toBe('*bold _and_ strong*');
    expect(markdownToDialect('# Title with **bold**', 'slack-mrkdwn')).toBe('*Title with bold*');
  });

  it('writes plain text: markup stripped, link URLs kept', () => {
    expect(markdownToDialect(markdown, 'plain')).toBe(
      [
        'Hi Ana',
        'Your order is late or not. See the FAQ (https://e.com/faq_(v2)?a=1&b=2) or https://e.com/x.',
        '- one\n- two',
        '1. first\n2. second',
        '> quoted',
        'a_b and',
        'if (x > 1) { y(); }',
      ].join('\n\n'),
    );
  });

  it('writes HTML for email with text escaped', () => {
    expect(markdownToDialect('**AT&T** <b>x</b> [a](https://e.com/?q=1&r=2)\n\n- i', 'html')).toBe(
      '<p><strong>AT&amp;T</strong> x <a href="https://e.com/?q=1&amp;r=2">a</a></p>\n<ul><li>i</li></ul>',
    );
  });

  it('writes Teams Markdown with headings as bold', () => {
    expect(markdownToDialect('## Status\n\nAll **good**', 'teams')).toBe('**Status**\n\nAll **good**');
  });

  it('drops unsafe link targets but keeps their text', () => {
    expect(markdownToDialect('[click](javascript:alert(1))', 'plain')).toBe('click');
    expect(markdownToDialect('[click](javascript:alert(1))', 'html')).toBe('<p>click</p>');
  });

  it('keeps text that only looks like a tag', () => {
    expect(markdownToDialect('I <3 you, <x>', 'plain')).toBe('I <3 you, <x>');
  });

  it('sanitizes raw HTML blocks inside Markdown', () => {
    expect(markdownToDialect('<div onclick="x()">hi<script>alert(1)</script></div>', 'html')).toBe('<p>hi</p>');
  });

  it('decodes character references', () => {
    expect(markdownToDialect('Fish &amp; chips &copy; &#233;', 'plain')).toBe('Fish & chips © é');
  });

  it('writes images as links', () => {
    expect(markdownToDialect('![Map](https://e.com/m.png)', 'slack-mrkdwn')).toBe('<https://e.com/m.png|Map>');
  });

  it('writes tables as lines of cells', () => {
    expect(markdownToDialect('| a | b |\n|---|---|\n| 1 | 2 |', 'plain')).toBe('a | b\n\n1 | 2');
  });
});
