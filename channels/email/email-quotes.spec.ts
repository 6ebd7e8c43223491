import { stripQuotedHtml, stripQuotedText } from './email-quotes';

describe('stripQuotedText', () => {
  it.each([
    ['Gmail', 'Yes, thanks.\n\nOn Mon, 9 Nov 2026 at 18:02, Acme Support <support@inbox.example.com> wrote:\n> Could you send a photo?\n'],
    ['an attribution wrapped over two lines', 'Yes, thanks.\n\nOn Mon, 9 Nov 2026 at 18:02, Acme Support\n<support@inbox.example.com> wrote:\n> Could you send a photo?'],
    ['Apple Mail', 'Yes, thanks.\n\nOn 9 Nov 2026, at 18:02, Acme Support <support@inbox.example.com> wrote:\n\n> Could you send a photo?'],
    ['German Thunderbird', 'Yes, thanks.\n\nAm 09.11.26 um 18:02 schrieb Acme Support:\n> Could you send a photo?'],
    ['French', 'Yes, thanks.\n\nLe lun. 9 nov. 2026 à 18:02, Acme Support <support@inbox.example.com> a écrit :\n> Could you send a photo?'],
    ['Spanish', 'Yes, thanks.\n\nEl lun, 9 nov 2026 a las 18:02, Acme Support (<support@inbox.example.com>) escribió:\n> Could you send a photo?'],
    ['Outlook "Original Message"', 'Yes, thanks.\n\n-----Original Message-----\nFrom: Acme Support <support@inbox.example.com>\nSent: Monday, November 9, 2026 6:02 PM\nTo: Alice\nSubject: Re: Order\n\nCould you send a photo?'],
    ['an Outlook header block without separator', 'Yes, thanks.\n\nFrom: Acme Support <support@inbox.example.com>\nSent: Monday, November 9, 2026 6:02 PM\nTo: Alice <alice@example.org>\nSubject: RE: Order\n\nCould you send a photo?'],
    ['an Outlook rule of underscores', 'Yes, thanks.\n\n________________________________\nFrom: Acme Support <support@inbox.example.com>\nSent: Monday\n\nCould you send a photo?'],
    ['bare > lines', 'Yes, thanks.\n> Could you send a photo?\n>> Earlier text'],
  ])('cuts the history of %s', (_client, text) => {
    expect(stripQuotedText(text)).toBe('Yes, thanks.');
  });

  it('keeps the answers between quoted lines of an inline reply', () => {
    expect(stripQuotedText('> What is your order number?\n98765\n> And the postcode?\n28001')).toBe('98765\n28001');
  });

  it('keeps a "From:" line that is not a header block', () => {
    const text = 'From: the warehouse, the box was sent on Monday.\nThanks';
    expect(stripQuotedText(text)).toBe(text);
  });

  it('keeps the whole text when nothing else is left', () => {
    expect(stripQuotedText('> only a quote')).toBe('> only a quote');
  });

  it('normalises CRLF line ends', () => {
    expect(stripQuotedText('Hello\r\n\r\nOn Mon, 9 Nov 2026, Bob wrote:\r\n> hi')).toBe('Hello');
  });
});

describe('stripQuotedHtml', () => {
  it('removes Gmail, Apple Mail and Thunderbird quotes', () => {
    expect(stripQuotedHtml('<div>New</div><div class="gmail_quote"><div class="gmail_attr">On Mon … wrote:</div><blockquote class="gmail_quote">Old</blockquote></div>')).toBe('<div>New</div>');
    expect(stripQuotedHtml('<p>New</p><blockquote type="cite">Old</blockquote>')).toBe('<p>New</p>');
    expect(stripQuotedHtml('<p>New</p><div class="moz-cite-prefix">On … wrote:</div><blockquote type="cite">Old</blockquote>')).toBe('<p>New</p>');
  });

  it('cuts everything from Outlook’s reply header on', () => {
    expect(stripQuotedHtml('<p>New</p><div id="divRplyFwdMsg"><b>From:</b> x</div><div><p>Old</p></div>')).toBe('<p>New</p>');
    expect(stripQuotedHtml('<p>New</p><hr style="display:inline-block" id="stopSpelling"><p>Old</p>')).toBe('<p>New</p>');
  });

  it('keeps a blockquote the author wrote', () => {
    expect(stripQuotedHtml('<p>As the manual says:</p><blockquote>Turn it off</blockquote>')).toBe('<p>As the manual says:</p><blockquote>Turn it off</blockquote>');
  });
});
