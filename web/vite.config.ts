import { defineConfig, type Plugin } from "vite";

// `npm run dev` serves the client on :5173 and forwards the server's paths to a running
// `reel all` (REEL_URL, default http://127.0.0.1:8080); `npm run build` writes dist/, which
// `reel all` serves at `/` (and dist/api-docs.html at `/api/docs`).
const backend = process.env.REEL_URL ?? "http://127.0.0.1:8080";

// The API documentation page: Swagger UI, a prebuilt bundle of about 1.6 MB that only
// /api/docs loads.
const docsEntry = "api-docs";
// What the app's own chunks may weigh before the build warns.
const appChunkLimitKb = 400;

// Vite's size warning is one limit for every chunk, which Swagger UI would trip on every
// build; this keeps the app's limit for the app's chunks alone.
function appChunkSizeWarning(): Plugin {
  return {
    name: "reel-app-chunk-size",
    apply: "build",
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== "chunk" || chunk.name === docsEntry) continue;
        const kb = chunk.code.length / 1000;
        if (kb > appChunkLimitKb) {
          this.warn(
            `${chunk.fileName} is ${kb.toFixed(0)} kB, over the app's ${appChunkLimitKb} kB`,
          );
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [appChunkSizeWarning()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Hashed names under assets/ are what the server caches for a year.
    assetsDir: "assets",
    sourcemap: false,
    // Swagger UI's bundle; the app's chunks are held to appChunkLimitKb above.
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // Two pages: the app, and the API documentation, which shares no code with it and so
      // never weighs on the app's first load.
      input: {
        index: "index.html",
        [docsEntry]: "api-docs.html",
      },
    },
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
