import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { largestFirst, planInChildren } from "../../plan/parallel";

/**
 * Plan workers share the loaded SDK: one worker plans several stacks in turn. A stack planned after
 * another must register exactly what it registers alone (same types, names, parents, providers,
 * inputs), or state would be leaking from one stack into the next.
 */
describe("plan workers sharing the loaded SDK", () => {
    const read = (dir: string, stack: string) => fs.readFileSync(path.join(dir, stack, "resources.json"), "utf8");

    it("staging planned after dev in one worker registers exactly what staging registers alone", async () => {
        const alone = fs.mkdtempSync(path.join(os.tmpdir(), "plan-alone-"));
        const shared = fs.mkdtempSync(path.join(os.tmpdir(), "plan-shared-"));
        const [solo] = await planInChildren(["staging"], { outDir: alone, tree: false, concurrency: 1 });
        const both = await planInChildren(["dev", "staging"], { outDir: shared, tree: false, concurrency: 1 });
        expect(solo.error).toBeNull();
        expect(both.map((r) => [r.stack, r.error])).toEqual([
            ["dev", null],
            ["staging", null],
        ]);
        // seeds: staging is the larger of the two (3 AZs, HA data stores); it must not be empty either.
        expect(both[1].resources).toBeGreaterThan(both[0].resources);
        expect(both[1].resources).toBe(solo.resources);
        expect(read(shared, "staging")).toBe(read(alone, "staging"));
        fs.rmSync(alone, { recursive: true, force: true });
        fs.rmSync(shared, { recursive: true, force: true });
    });

    it("hands the production stacks out first, so the last worker does not finish alone on a large stack", () => {
        expect(largestFirst(["dev", "staging", "prod-eu", "prod-me", "prod-us"])).toEqual(["prod-eu", "prod-me", "prod-us", "staging", "dev"]);
    });
});
