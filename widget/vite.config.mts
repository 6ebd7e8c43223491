import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The embeddable web chat widget as one self-contained IIFE (socket.io-client, marked and the
// Adaptive Cards renderer bundled in): dist/widget/widget.js, served by Parley at GET /widget.js.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  // Libraries read process.env.NODE_ENV; a page has no `process`.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: here('../dist/widget'),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: here('src/main.ts'),
      name: 'ParleyChatWidget',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
});
