import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { listStacks } from "../../plan/engine";
import { toYaml } from "../../plan/manifests";
import { planOf } from "../harness";

/**
 * The plan writes k8s/<cluster>/<namespace>.yaml with its own emitter: what kubectl (a YAML 1.1
 * reader) reads back must be exactly the manifest, value types included.
 */

const read11 = (text: string): unknown[] => YAML.parseAllDocuments(text, { version: "1.1" }).map((d) => d.toJS());

describe("toYaml", () => {
    it("quotes strings a YAML 1.1 reader would take for another type or for syntax", () => {
        const doc = {
            yes: "yes",
            off: "Off",
            n: "n",
            nul: "null",
            tilde: "~",
            octal: "0755",
            float: "1e3",
            port: "8080",
            quantity: "500m",
            colon: "a: b",
            comment: "a #b",
            dash: "-x",
            star: "*alias",
            empty: "",
            unicode: "a\u2028b",
            plain: "app.kubernetes.io/name",
        };
        const text = toYaml(doc);
        expect(read11(text)).toEqual([doc]);
        expect(text).toContain('"yes": "yes"'); // keys too: a bare yes key reads as true
        expect(text).toContain('port: "8080"');
        expect(text).toContain("plain: app.kubernetes.io/name");
    });

    it("writes multi-line text as literal blocks only when they read back exactly", () => {
        const doc = {
            script: "#!/bin/sh\nset -eu\n\nexec app\n",
            noFinalNewline: "a\nb",
            trailingSpace: "a \nb",
            twoFinalNewlines: "a\n\n",
            leadingSpace: " a\nb",
            list: ["x\ny\n", { inner: "p\nq" }],
        };
        const text = toYaml(doc);
        expect(read11(text)).toEqual([doc]);
        expect(text).toContain("script: |\n  #!/bin/sh\n  set -eu\n\n  exec app\n");
        expect(text).toContain("noFinalNewline: |-\n  a\n  b\n");
        expect(text).toContain('trailingSpace: "a \\nb"');
    });

    it("writes nested and empty collections, numbers, booleans and nulls with their types", () => {
        const doc = { a: [[1, 2], [], [{ b: true, c: null, d: { e: [] } }]], f: {}, g: 1.5, h: false, i: [{ j: { k: "v" } }], skipped: undefined };
        const expected = { a: [[1, 2], [], [{ b: true, c: null, d: { e: [] } }]], f: {}, g: 1.5, h: false, i: [{ j: { k: "v" } }] };
        expect(read11(toYaml(doc))).toEqual([expected]);
    });
});

describe("the plan's k8s/ files", () => {
    it.each(listStacks())("%s: every manifest reads back exactly, in its cluster's namespace file", async (stack) => {
        const dir = process.env.PLAN_CACHE_DIR;
        expect(dir).toBeDefined();
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        expect(planned.manifests.length).toBeGreaterThan(0);
        const byFile = new Map<string, unknown[]>();
        for (const { cluster, manifest } of planned.manifests) {
            const file = path.join(dir as string, stack, "k8s", cluster, `${manifest.metadata.namespace ?? "_cluster"}.yaml`);
            byFile.set(file, [...(byFile.get(file) ?? []), manifest]);
        }
        for (const [file, manifests] of byFile) {
            expect(read11(fs.readFileSync(file, "utf8"))).toEqual(manifests);
        }
    });
});
