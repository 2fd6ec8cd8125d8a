import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks } from "../../plan/engine";
import { createMocks } from "../../plan/mocks";
import { planInChildren } from "../../plan/parallel";
import { nonEmpty, planOf, readStackFile, runProgram } from "../harness";

describe("offline engine", () => {
    it("finds one stack per stack file, prod-me and prod-ap included", () => {
        expect(listStacks()).toEqual(["dev", "staging", "prod-ap", "prod-eu", "prod-me", "prod-us"]);
    });

    it.each(listStacks())("%s: every custom resource names an explicit provider", async (stack) => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        // Builtins of the `pulumi` package (the StackReference) use the engine's own provider, which
        // `pulumi:disable-default-providers` never denies.
        const custom = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && !r.type.startsWith("pulumi:pulumi:"));
        const implicit = custom.filter((r) => r.provider === null || r.provider.startsWith("default"));
        expect(implicit.map((r) => `${r.type} ${r.name}`)).toEqual([]);
    });

    it.each(listStacks())("%s: logical names are unique per type and every parent was registered", async (stack) => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const keys = run.resources.map((r) => `${r.type}::${r.name}`);
        expect(new Set(keys).size).toBe(keys.length);
        const names = new Set(run.resources.map((r) => r.name));
        expect(run.resources.filter((r) => r.parent !== null && !names.has(r.parent)).map((r) => r.name)).toEqual([]);
    });

    it("providers carry the stack's residency and environment as default tags/labels", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        const aws = run.resources.find((r) => r.type === "pulumi:providers:aws" && r.region === "eu-central-1");
        expect(JSON.parse(String((aws?.inputs as Record<string, unknown>).defaultTags))).toEqual({
            tags: { environment: "prod", service: "platform", owner: "platform-infra", "managed-by": "pulumi", residency: "eu" },
        });
    });

    it("provider-function mocks throw on a token they do not know", () => {
        const mocks = createMocks({
            accountId: "123456789012",
            gcpProject: "p-123456",
            gcpProjectNumber: "123456789012",
            regionOf: () => "us-east-1",
            onResource: () => undefined,
        });
        expect(() => mocks.call({ token: "aws:ec2/getAmi:getAmi", inputs: {} })).toThrow(/no mock for provider function aws:ec2\/getAmi:getAmi/);
        expect(mocks.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: {} }).names).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    });

    it("writes resources.json with exactly the documented keys, findings.json and k8s manifests", async () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-test-"));
        const [result] = await planInChildren(["dev"], { outDir: out, tree: true });
        expect(result.error).toBeNull();
        expect(result.report).toContain("pulumi:pulumi:Stack");
        const resources = JSON.parse(fs.readFileSync(path.join(out, "dev", "resources.json"), "utf8")) as Record<string, unknown>[];
        expect(resources.length).toBe(result.resources);
        for (const r of nonEmpty(resources)) {
            expect(Object.keys(r).sort()).toEqual(["inputs", "name", "parent", "provider", "type"]);
        }
        expect(resources[0]).toMatchObject({ type: "pulumi:pulumi:Stack", name: "learning-platform-dev", parent: null, provider: null });
        expect(Array.isArray(JSON.parse(fs.readFileSync(path.join(out, "dev", "findings.json"), "utf8")))).toBe(true);
        // The plan never writes a plaintext secret: every secret input is "[secret]".
        const text = fs.readFileSync(path.join(out, "dev", "resources.json"), "utf8");
        const { run } = await planOf("dev");
        expect(run.error).toBeNull();
        // dev has secret inputs (Redis AUTH, Aurora and PgBouncer passwords): the loop below is not vacuous.
        expect(run.resources.flatMap((r) => r.secretPaths).length).toBeGreaterThan(0);
        for (const r of run.resources) {
            for (const p of r.secretPaths) {
                const value = p.split(/\.|\[|\]/).filter(Boolean).reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], r.inputs);
                expect(value).toBe("[secret]");
            }
        }
        expect(text).not.toMatch(/"masterPassword":\s*"(?!\[secret\])/);
    });

    it("an empty region list is refused before any resource exists", async () => {
        const raw = readStackFile("dev");
        (raw.gcp as Record<string, unknown>).regions = [];
        const run = await runProgram("dev", { config: raw });
        expect(run.errorKind).toBe("config");
        expect(run.error).toContain("learning-platform:gcp.regions = []: at least one region");
        expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });
});
