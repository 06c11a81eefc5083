import { defineConfig } from "vite";

// `npm run dev` serves the client on :5173 and forwards the server's paths to a running
// `reel all` (REEL_URL, default http://127.0.0.1:8080); `npm run build` writes dist/, which
// `reel all` serves at `/`.
const backend = process.env.REEL_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Hashed names under assets/ are what the server caches for a year.
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  esbuild: { jsx: "automatic" },
  server: {
    proxy: {
      "/api": backend,
      "/media": backend,
      "/web-config.json": backend,
    },
  },
});
