// A TCP port free on 127.0.0.1 right now (the OS picks it; the caller binds it soon after).
// Shared by the node test scripts (tests/web, tests/observability).
import { createServer } from "node:net";

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
