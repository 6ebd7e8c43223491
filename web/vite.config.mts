import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The agent app. No React plugin: Vite 8's built-in oxc transform compiles JSX with React's
// automatic runtime. The server serves the build (dist/web) at `/`.
const here = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.PARLEY_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: fileURLToPath(new URL('../dist/web', import.meta.url)), emptyOutDir: true },
  // `npm run dev:web`: the app with hot reload, talking to a running server.
  server: {
    proxy: {
      '/api': server,
      '/socket.io': { target: server, ws: true },
    },
  },
});
