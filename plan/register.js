// A require hook that transpiles TypeScript with swc (no type-check: `npm run typecheck` does that),
// so the offline plan runs the program's own sources directly. Plain JS: it is what loads the TS.
"use strict";
const fs = require("fs");
const { transformSync } = require("@swc/core");

require.extensions[".ts"] = (module, filename) => {
    const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
        filename,
        sourceMaps: "inline",
        module: { type: "commonjs" },
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    });
    module._compile(code, filename);
};
