import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** plan/register.js: TypeScript transpiled by swc, cached by content, never served stale. */

const register = path.resolve(__dirname, "..", "..", "plan", "register.js");

function runTs(file: string, cacheDir: string): string {
    const r = spawnSync(process.execPath, ["-r", register, file], { env: { ...process.env, PLAN_SWC_CACHE: cacheDir }, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return r.stdout;
}

describe("the plan's TypeScript hook", () => {
    it("transpiles once per content and re-transpiles a changed file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "register-"));
        const cache = path.join(dir, "cache");
        const file = path.join(dir, "hello.ts");
        fs.writeFileSync(file, 'const who: string = "one";\nprocess.stdout.write(who);\n');

        expect(runTs(file, cache)).toBe("one");
        const first = fs.readdirSync(cache);
        expect(first).toHaveLength(1);
        // A cache hit: the cached JavaScript is what runs (swc is not asked again).
        fs.writeFileSync(path.join(cache, first[0]), 'process.stdout.write("from cache");\n');
        expect(runTs(file, cache)).toBe("from cache");

        fs.writeFileSync(file, 'const who: string = "two";\nprocess.stdout.write(who);\n');
        expect(runTs(file, cache)).toBe("two");
        expect(fs.readdirSync(cache).filter((f) => f.endsWith(".js"))).toHaveLength(2);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
