// Removes the plans the global setup wrote (a temporary directory per run).
const fs = require("fs");

module.exports = async function globalTeardown() {
    if (process.env.PLAN_CACHE_DIR) {
        fs.rmSync(process.env.PLAN_CACHE_DIR, { recursive: true, force: true });
    }
};
