import { StackConfigError, parseStackConfig } from "../../stacks/config";
import { catalogRequirements } from "../../stacks/load";
import { readStackFile, listStacks } from "../../plan/engine";
import { runProgram } from "../harness";

const requires = catalogRequirements();

function issuesOf(stack: string, mutate: (raw: Record<string, unknown>) => void): StackConfigError {
    const raw = readStackFile(stack);
    mutate(raw);
    try {
        parseStackConfig(stack, raw, requires);
    } catch (e) {
        if (e instanceof StackConfigError) {
            return e;
        }
        throw e;
    }
    throw new Error("expected a StackConfigError");
}

const aws = (raw: Record<string, unknown>) => raw.aws as { regions: { region: string; role: string }[] };
const gcp = (raw: Record<string, unknown>) => raw.gcp as Record<string, unknown>;

describe("stack config", () => {
    it.each(listStacks())("stack file %s is valid", (stack) => {
        const cfg = parseStackConfig(stack, readStackFile(stack), requires);
        expect(cfg.stack).toBe(stack);
        expect(cfg.aws.regions.length).toBeGreaterThan(0);
    });

    it("prod-me exists as data only: a stack file with ME regions", () => {
        const cfg = parseStackConfig("prod-me", readStackFile("prod-me"), requires);
        expect(cfg.residency).toBe("me");
        expect(cfg.aws.regions.map((r) => r.region)).toEqual(["me-central-1", "me-south-1"]);
        expect(cfg.gcp.regions.map((r) => r.region)).toEqual(["me-central1", "me-central2"]);
    });

    it("rejects an unknown environment, naming stack, key, value and what is allowed", () => {
        const e = issuesOf("staging", (raw) => (raw.environment = "production"));
        expect(e.message).toContain('stack "staging"');
        expect(e.issues).toEqual([{ key: "environment", value: "production", message: "allowed: dev, staging, prod" }]);
        expect(e.message).toContain('learning-platform:environment = "production": allowed: dev, staging, prod');
    });

    it("rejects a region outside the stack's residency zone, on either cloud", () => {
        const e = issuesOf("prod-eu", (raw) => {
            aws(raw).regions[1].region = "us-east-1";
            (gcp(raw).regions as { region: string }[])[0].region = "us-central1";
        });
        const keys = e.issues.map((i) => i.key);
        expect(keys).toEqual(["aws.regions[1].region", "gcp.regions[0].region"]);
        expect(e.issues[0].message).toMatch(/^not in residency zone "eu"; allowed: eu-west-1, /);
        expect(e.issues[1].value).toBe("us-central1");
    });

    it("rejects a missing GCP project", () => {
        const e = issuesOf("dev", (raw) => delete gcp(raw).project);
        expect(e.issues).toEqual([{ key: "gcp.project", value: undefined, message: "expected string" }]);
        expect(e.message).toContain("learning-platform:gcp.project = (missing)");
    });

    it("rejects min > max in replica overrides and unknown roles", () => {
        const e = issuesOf("dev", (raw) => (raw.replicaOverrides = { "assignment-service/api": { min: 5, max: 2 }, "nope/api": { min: 1, max: 1 } }));
        expect(e.issues.map((i) => i.message)).toEqual(
            expect.arrayContaining(["min (5) must not exceed max (2)", expect.stringMatching(/^unknown service\/role; allowed: assignment-service\/api, /)]),
        );
    });

    it("rejects a malformed image digest", () => {
        const e = issuesOf("dev", (raw) => ((raw.images as Record<string, string>)["assignment-service"] = "registry.example.com/assignment-service:latest"));
        expect(e.issues).toHaveLength(1);
        expect(e.issues[0].key).toBe("images.assignment-service");
        expect(e.issues[0].message).toContain("pinned by digest");
    });

    it("reports every problem at once, unknown keys included", () => {
        const e = issuesOf("prod-us", (raw) => {
            raw.environment = "qa";
            raw.regoin = "us-east-1";
            delete gcp(raw).project;
            aws(raw).regions[0].region = "eu-west-1";
            delete (raw.images as Record<string, string>)["assignment-service"];
        });
        expect(e.issues.map((i) => i.key).sort()).toEqual(
            ["aws.regions[0].region", "environment", "gcp.project", "images.assignment-service", "regoin"].sort(),
        );
        expect(e.issues.find((i) => i.key === "regoin")?.message).toMatch(/^unknown key; allowed: environment, residency/);
    });

    it("refuses a prod stack with the global residency zone", () => {
        const e = issuesOf("prod-us", (raw) => (raw.residency = "global"));
        expect(e.issues).toEqual([{ key: "residency", value: "global", message: "a prod stack serves real tenants; allowed: us, eu, me, ap" }]);
    });
});

describe("the program on bad input", () => {
    it("fails with the config error and registers no resource besides the root stack", async () => {
        const raw = readStackFile("prod-eu");
        aws(raw).regions[0].region = "us-west-2";
        raw.environment = "prod-ish";
        const run = await runProgram("prod-eu", { config: raw });
        expect(run.errorKind).toBe("config");
        expect(run.error).toContain('stack "prod-eu" has 2 configuration problem(s)');
        expect(run.error).toContain("learning-platform:aws.regions[0].region");
        expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });
});
