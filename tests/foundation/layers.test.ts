import * as fs from "fs";
import * as path from "path";

/**
 * The layers import one way: data ← components ← stacks (composition) ← index.ts; the capacity
 * model and the policy pack read data only (components may use the capacity model's pure sizing,
 * e.g. node-group sizes). A file's relative imports name the layer they reach.
 */
const root = path.resolve(__dirname, "..", "..");
const layers = ["data", "components", "capacity", "policy", "stacks"] as const;
type Layer = (typeof layers)[number];
const allowed: Record<Layer, readonly string[]> = {
    data: ["data"],
    components: ["data", "capacity", "components"],
    capacity: ["data", "capacity"],
    policy: ["data", "policy"],
    stacks: ["data", "components", "capacity", "stacks"],
};

function filesOf(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? filesOf(p) : p.endsWith(".ts") ? [p] : [];
    });
}

function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
}

describe("layers", () => {
    it.each(layers.map((l) => [l, allowed[l].join(", ")]))("%s imports only from %s", (layer) => {
        const files = filesOf(path.join(root, layer as Layer));
        expect(files.length).toBeGreaterThan(0);
        const wrong: string[] = [];
        for (const file of files) {
            for (const spec of importsOf(file)) {
                const target = path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
                if (!allowed[layer as Layer].includes(target)) {
                    wrong.push(`${path.relative(root, file)} → ${spec}`);
                }
            }
        }
        expect(wrong).toEqual([]);
    });

    it("the check itself sees a wrong import", () => {
        const spec = "../../stacks/aws";
        const target = path.relative(root, path.resolve(path.join(root, "components", "aws"), spec)).split(path.sep)[0];
        expect(allowed.components.includes(target)).toBe(false);
    });
});
