import { StackConfigError, parseStackConfig } from "../../data/config";
import { catalogRequirements } from "../../data/config";
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

    it("prod-ap exists as data only: AWS ap-south-1 with its passive ap-south-2, GCP asia-south1 (seeds/001 §1's prod primary) with asia-south2 for DR", () => {
        const cfg = parseStackConfig("prod-ap", readStackFile("prod-ap"), requires);
        expect(cfg.residency).toBe("ap");
        expect(cfg.aws.regions).toEqual([
            { region: "ap-south-1", role: "active" },
            { region: "ap-south-2", role: "passive" },
        ]);
        expect(cfg.gcp.regions).toEqual([
            { region: "asia-south1", role: "active" },
            { region: "asia-south2", role: "dr" },
        ]);
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
        expect(e.issues.map((i) => [i.key, i.message])).toEqual([
            ["replicaOverrides.assignment-service/api", "min (5) must not exceed max (2)"],
            ["replicaOverrides.nope/api", expect.stringMatching(/^unknown service\/role; allowed: assignment-service\/api, /)],
        ]);
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

type Raw = Record<string, unknown>;
const awsOf = (raw: Raw) => raw.aws as Record<string, unknown> & { regions: Record<string, unknown>[] };
const gcpOf = (raw: Raw) => raw.gcp as Record<string, unknown> & { regions: Record<string, unknown>[] };

/** One wrong value per case, and the exact problems it must report (key, value, message). */
const badInputs: [string, string, (raw: Raw) => void, { key: string; value: unknown; message: string }[]][] = [
    ["residency outside the enum", "dev", (raw) => (raw.residency = "mars"), [{ key: "residency", value: "mars", message: "allowed: us, eu, me, ap, global" }]],
    ["owner with spaces and capitals", "dev", (raw) => (raw.owner = "Platform Team"), [{ key: "owner", value: "Platform Team", message: "lower-case letters, digits and dashes" }]],
    ["domain without a dot", "dev", (raw) => (raw.domain = "melmastoon"), [{ key: "domain", value: "melmastoon", message: "a DNS domain such as us.melmastoon.com" }]],
    ["AWS account id of 11 digits", "dev", (raw) => (awsOf(raw).accountId = "21098765432"), [{ key: "aws.accountId", value: "21098765432", message: "a 12-digit AWS account id" }]],
    [
        "CIDR lists with a /33 and an octet of 300",
        "dev",
        (raw) => {
            awsOf(raw).apiAccessCidrs = ["10.0.0.0/33"];
            awsOf(raw).lrsAllowCidrs = ["203.0.113.0/24", "198.51.100.300/28"];
        },
        [
            { key: "aws.apiAccessCidrs[0]", value: "10.0.0.0/33", message: "an IPv4 CIDR" },
            { key: "aws.lrsAllowCidrs[1]", value: "198.51.100.300/28", message: "an IPv4 CIDR" },
        ],
    ],
    ["GCP project id with capitals and an underscore", "dev", (raw) => (gcpOf(raw).project = "Melmastoon_Dev"), [{ key: "gcp.project", value: "Melmastoon_Dev", message: "a GCP project id: 6-30 lower-case letters, digits, dashes" }]],
    ["billing account in lower case", "dev", (raw) => (gcpOf(raw).billingAccount = "01a2b3-c4d5e6-f7a8b9"), [{ key: "gcp.billingAccount", value: "01a2b3-c4d5e6-f7a8b9", message: "a billing account id like 01ABCD-234567-89EFAB" }]],
    ["empty aws.regions", "dev", (raw) => (awsOf(raw).regions = []), [{ key: "aws.regions", value: [], message: "at least one region" }]],
    [
        "an unknown region role",
        "dev",
        (raw) => (awsOf(raw).regions[0].role = "primary"),
        [
            { key: "aws.regions[0].role", value: "primary", message: "allowed: active, passive" },
            { key: "aws.regions", value: [{ region: "us-west-2", role: "primary" }], message: "needs at least one region with role active" },
        ],
    ],
    [
        "no active region",
        "prod-eu",
        (raw) => (awsOf(raw).regions = awsOf(raw).regions.map((r) => ({ ...r, role: "passive" }))),
        [
            {
                key: "aws.regions",
                value: [
                    { region: "eu-west-1", role: "passive" },
                    { region: "eu-central-1", role: "passive" },
                ],
                message: "needs at least one region with role active",
            },
        ],
    ],
    ["a region listed twice", "prod-us", (raw) => (awsOf(raw).regions[1].region = "us-east-1"), [{ key: "aws.regions[1].region", value: "us-east-1", message: "listed twice" }]],
    [
        "override bounds below 0 and 1",
        "dev",
        (raw) => (raw.replicaOverrides = { "assignment-service/api": { min: -1, max: 0 } }),
        [
            { key: "replicaOverrides.assignment-service/api.min", value: -1, message: "a whole number ≥ 0" },
            { key: "replicaOverrides.assignment-service/api.max", value: 0, message: "a whole number ≥ 1" },
        ],
    ],
    [
        "unknown nested keys",
        "dev",
        (raw) => {
            awsOf(raw).regoins = [];
            gcpOf(raw).regions[0].zone = "a";
        },
        [
            { key: "aws.regoins", value: [], message: "unknown key; allowed: accountId, regions, apiAccessCidrs, lrsAllowCidrs" },
            { key: "gcp.regions[0].zone", value: "a", message: "unknown key; allowed: region, role" },
        ],
    ],
];

describe("config errors, each with its exact message", () => {
    it.each(badInputs)("%s", (_title, stack, mutate, expected) => {
        expect(issuesOf(stack, mutate).issues).toEqual(expected);
    });
});

describe("the program on bad input", () => {
    it("fails on every one of those problems at once, before registering anything", async () => {
        // All the dev cases but the empty region list (the role and duplicate cases need regions).
        const raw = readStackFile("dev");
        const cases = badInputs.filter(([title, stack]) => stack === "dev" && title !== "empty aws.regions");
        expect(cases).toHaveLength(10);
        for (const [, , mutate] of cases) {
            mutate(raw);
        }
        const run = await runProgram("dev", { config: raw });
        expect(run.errorKind).toBe("config");
        expect(run.error).toContain(`stack "dev" has ${cases.reduce((n, [, , , issues]) => n + issues.length, 0)} configuration problem(s)`);
        for (const { key, message } of cases.flatMap(([, , , issues]) => issues)) {
            expect(run.error).toContain(`learning-platform:${key} = `);
            expect(run.error).toContain(message);
        }
        expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });

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
