// A require hook that transpiles TypeScript with swc (no type-check: `npm run typecheck` does that),
// so the offline plan runs the program's own sources directly. Plain JS: it is what loads the TS.
//
// Transpiles are cached on disk by content (node_modules/.cache/plan-swc), so a plan child loads
// swc only for files that changed since the last run: every child of `npm run plan` transpiles the
// same ~80 files, and swc was a tenth of a single-stack plan.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const options = {
    sourceMaps: "inline",
    module: { type: "commonjs" },
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
};
const cacheDir = process.env.PLAN_SWC_CACHE ?? path.join(__dirname, "..", "node_modules", ".cache", "plan-swc");
let swc; // loaded on the first cache miss
let salt;

function transpile(source, filename) {
    swc ??= require("@swc/core");
    return swc.transformSync(source, { ...options, filename }).code;
}

require.extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    // The swc version and options are part of the key: an upgrade or a changed option re-transpiles.
    salt ??= `${require("@swc/core/package.json").version}\0${JSON.stringify(options)}`;
    const key = crypto.createHash("sha256").update(salt).update("\0").update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    let code;
    try {
        code = fs.readFileSync(cached, "utf8");
    } catch {
        code = transpile(source, filename);
        try {
            // Write then rename: children running in parallel never read a half-written file.
            fs.mkdirSync(cacheDir, { recursive: true });
            const tmp = `${cached}.${process.pid}.tmp`;
            fs.writeFileSync(tmp, code);
            fs.renameSync(tmp, cached);
        } catch {
            // A read-only or full disk only costs the cache, never the run.
        }
    }
    module._compile(code, filename);
};
