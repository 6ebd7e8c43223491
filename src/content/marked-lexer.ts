import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Token, TokensList } from 'marked';

type MarkedModule = typeof import('marked');

// marked ships as an ES module only. Node ≥ 20.19 can require() it, but Jest's CommonJS runtime
// cannot (before Node 24.9), and every module that imports the renderer is tested under Jest. The
// package's UMD build is the same code as a plain script, so we evaluate that with a CommonJS
// `module` object: one loading path for production and tests. If Jest is ever configured to
// transform marked (transformIgnorePatterns), this file can become `export { Lexer } from 'marked'`.
function loadMarked(): MarkedModule {
  const root = dirname(require.resolve('marked/package.json'));
  const source = readFileSync(join(root, 'lib', 'marked.umd.js'), 'utf8');
  const module: { exports: unknown } = { exports: {} };
  new Function('module', 'exports', source)(module, module.exports);
  return module.exports as MarkedModule;
}

const { Lexer } = loadMarked();

// GitHub-flavoured: bare URLs become links, ~~strike~~ is understood.
export function lexMarkdown(markdown: string): TokensList {
  return Lexer.lex(markdown, { gfm: true, breaks: false });
}

export type { Token };
