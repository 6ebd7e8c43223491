import { htmlToDialect, htmlToRichText, sanitizeHtml } from './html';

describe('sanitizeHtml', () => {
  it.each([
    ['a script element and its content', '<p>Hi</p><script>alert(1)</script>', '<p>Hi</p>'],
    ['an uppercase SCRIPT', '<SCRIPT>alert(1)</SCRIPT>ok', 'ok'],
    ['an onerror handler', '<img src="https://e.com/x.png" onerror="alert(1)">', '<img src="https://e.com/x.png" />'],
    ['an onclick handler', '<a href="https://e.com" onclick="steal()">go</a>', '<a href="https://e.com">go</a>'],
    ['a javascript: link', '<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['an obfuscated javascript: link', '<a href="jav&#x09;ascript:alert(1)">x</a>', '<a>x</a>'],
    ['a mixed-case JaVaScRiPt: link', '<a href="JaVaScRiPt:alert(1)">x</a>', '<a>x</a>'],
    ['a data: image', '<img src="data:image/png;base64,AAAA">', '<img />'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>text', 'text'],
    ['a style element', '<style>body{display:none}</style>text', 'text'],
    ['a style attribute', '<p style="position:fixed">x</p>', '<p>x</p>'],
    ['a form', '<form action="https://evil.example"><input name="card"></form>x', 'x'],
    ['an svg with onload', '<svg onload="alert(1)"><circle/></svg>x', 'x'],
  ])('removes %s', (_name, input, expected) => {
    expect(sanitizeHtml(input)).toBe(expected);
  });

  it('keeps ordinary formatting, lists, tables and safe links', () => {
    const html =
      '<h2>Order</h2><p><strong>Total:</strong> <em>42</em> <a href="https://shop.example/o/1">view</a> <a href="mailto:help@example.com">mail</a></p>' +
      '<ul><li>one</li></ul><table><tr><td>a</td></tr></table>';
    expect(sanitizeHtml(html)).toBe(html);
  });

  it('adds rel=noopener to links that open a new tab', () => {
    expect(sanitizeHtml('<a href="https://e.com" target="_blank">x</a>')).toBe(
      '<a href="https://e.com" target="_blank" rel="noopener noreferrer">x</a>',
    );
  });
});

describe('htmlToDialect', () => {
  const html =
    '<h1>Your order</h1><p>Hello <b>Ana</b>, your <i>order</i> is <s>late</s> ready.<br>Track it <a href="https://e.com/t?a=1&amp;b=2">here</a>.</p>' +
    '<ul><li>Shirt</li><li>Socks &amp; shoes</li></ul><script>alert(1)</script><a href="javascript:alert(1)">bad link</a>';

  it('writes plain text: markup stripped, link URLs kept, scripts gone', () => {
    expect(htmlToDialect(html, 'plain')).toBe(
      'Your order\n\nHello Ana, your order is late ready.\nTrack it here (https://e.com/t?a=1&b=2).\n\n- Shirt\n- Socks & shoes\n\nbad link',
    );
  });

  it('writes Slack mrkdwn', () => {
    expect(htmlToDialect(html, 'slack-mrkdwn')).toBe(
      '*Your order*\n\nHello *Ana*, your _order_ is ~late~ ready.\nTrack it <https://e.com/t?a=1&amp;b=2|here>.\n\n• Shirt\n• Socks &amp; shoes\n\nbad link',
    );
  });

  it('writes Telegram MarkdownV2', () => {
    expect(htmlToDialect(html, 'telegram-markdownv2')).toBe(
      '*Your order*\n\nHello *Ana*, your _order_ is ~late~ ready\\.\nTrack it [here](https://e.com/t?a=1&b=2)\\.\n\n• Shirt\n• Socks & shoes\n\nbad link',
    );
  });

  it('writes WhatsApp markup', () => {
    expect(htmlToDialect(html, 'whatsapp')).toBe(
      '*Your order*\n\nHello *Ana*, your _order_ is ~late~ ready.\nTrack it here (https://e.com/t?a=1&b=2).\n\n- Shirt\n- Socks & shoes\n\nbad link',
    );
  });

  it('writes Teams Markdown (no headings)', () => {
    expect(htmlToDialect(html, 'teams')).toBe(
      '**Your order**\n\nHello **Ana**, your *order* is ~~late~~ ready.  \nTrack it [here](https://e.com/t?a=1&b=2).\n\n- Shirt\n- Socks & shoes\n\nbad link',
    );
  });

  it('keeps HTML for HTML channels, sanitized', () => {
    const out = htmlToDialect(html, 'html');
    expect(out).not.toMatch(/script|javascript/i);
    expect(out).toContain('<a href="https://e.com/t?a=1&amp;b=2">here</a>');
  });

  it('collapses layout whitespace and keeps preformatted text', () => {
    expect(htmlToDialect('<div>\n  <p>  a \n b  </p>\n  <pre>x  =\n  1</pre>\n</div>', 'plain')).toBe('a b\n\nx  =\n  1');
  });

  it('keeps emphasis markers against their text', () => {
    // "*Ana *" would not be bold on WhatsApp or Slack: the spaces move outside the markers.
    expect(htmlToDialect('<p>Hi<b> Ana </b>!</p>', 'whatsapp')).toBe('Hi *Ana* !');
    expect(htmlToDialect('<p>a<i> </i>b</p>', 'slack-mrkdwn')).toBe('a b');
  });

  it('turns images into links to them', () => {
    expect(htmlToDialect('<img src="https://e.com/m.png" alt="Map">', 'plain')).toBe('Map (https://e.com/m.png)');
  });

  it('writes table rows as lines', () => {
    expect(htmlToDialect('<table><tr><th>Item</th><th>Qty</th></tr><tr><td>Shirt</td><td>2</td></tr></table>', 'plain')).toBe(
      'Item | Qty\n\nShirt | 2',
    );
  });

  it('decodes character references once', () => {
    expect(htmlToRichText('<p>&lt;b&gt; &amp;amp; &#233; &#x1F600;</p>')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '<b> &amp; é 😀' }] },
    ]);
  });
});
