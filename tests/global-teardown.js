// Stops the run server the global setup started (its workers exit when told) and removes the plans
// it wrote (a temporary directory per run).
const fs = require("fs");

module.exports = async function globalTeardown() {
    const server = globalThis.__planRunServer;
    if (server) {
        await server.close();
    }
    if (process.env.PLAN_CACHE_DIR) {
        fs.rmSync(process.env.PLAN_CACHE_DIR, { recursive: true, force: true });
    }
};
