import { Lexer, type Token, type TokensList } from 'marked';

// GitHub-flavoured: bare URLs become links, ~~strike~~ is understood.
export function lexMarkdown(markdown: string): TokensList {
  return Lexer.lex(markdown, { gfm: true, breaks: false });
}

export type { Token };
