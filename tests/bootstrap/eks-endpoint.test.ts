import { maxApiAccessCidrs, validateEksArgs } from "../../components/aws/eks";
import { listStacks } from "../../plan/engine";
import { mockBootstrapOutputs } from "../../plan/mocks/pulumi";
import { validateRunnerEgress } from "../../stacks/pipeline";
import { byType, planOf, readStackFile, runProgram } from "../harness";

/**
 * Where `pulumi` runs, seen from the clusters: every EKS API keeps its private endpoint (nodes and
 * pods) and opens its public endpoint to exactly the pipeline runners' NAT /32s, read from the
 * stack's bootstrap stack (mocked offline: 203.0.113.0/24 addresses), plus any operator range of
 * the stack file. Never 0.0.0.0/0, nothing broader than /24.
 */

const sizes = {
    platform: { instanceType: "m7i.xlarge", minSize: 2, desiredSize: 2, maxSize: 4 },
    core: { instanceType: "c7i.2xlarge", minSize: 3, desiredSize: 3, maxSize: 10 },
    worker: { instanceType: "c7i.2xlarge", minSize: 2, desiredSize: 2, maxSize: 10 },
};

describe.each(listStacks())("EKS endpoints of stack %s", (stack) => {
    it("private on, public on for exactly the bootstrap stack's runner /32s and the stack's operator ranges", async () => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        const raw = readStackFile(stack) as { deploy: { bootstrapStack: string }; aws: { apiAccessCidrs?: string[] } };
        const runners = mockBootstrapOutputs(raw.deploy.bootstrapStack).runnerEgressCidrs;
        expect(runners).toHaveLength(2);
        // The program reads the bootstrap stack named in its stack file.
        expect(byType(run, "pulumi:pulumi:StackReference").map((r) => (r.props as { name: string }).name)).toEqual([raw.deploy.bootstrapStack]);
        const clusters = byType(run, "aws:eks/cluster:Cluster");
        expect(clusters.length).toBe((readStackFile(stack).aws as { regions: unknown[] }).regions.length);
        for (const c of clusters) {
            const v = (c.props as { vpcConfig: { endpointPrivateAccess: boolean; endpointPublicAccess: boolean; publicAccessCidrs: string[] } }).vpcConfig;
            expect(v.endpointPrivateAccess).toBe(true);
            expect(v.endpointPublicAccess).toBe(true);
            expect(v.publicAccessCidrs).toEqual([...runners, ...(raw.aws.apiAccessCidrs ?? [])]);
            expect(v.publicAccessCidrs.filter((x) => x.endsWith("/0"))).toEqual([]);
        }
        expect(run.outputs.pipeline).toEqual({ bootstrapStack: raw.deploy.bootstrapStack, runnerEgressCidrs: runners });
    });
});

describe("the public endpoint's allow-list", () => {
    it("refuses 0.0.0.0/0 and anything broader than /24; admits /32s and a /24", () => {
        expect(validateEksArgs({ apiAccessCidrs: ["0.0.0.0/0"], nodeGroups: sizes })).toEqual(["apiAccessCidrs must not contain 0.0.0.0/0: the public endpoint would be open to the internet"]);
        expect(validateEksArgs({ apiAccessCidrs: ["10.0.0.0/8"], nodeGroups: sizes })).toEqual([
            "apiAccessCidrs must not contain 10.0.0.0/8: broader than /24 (name the pipeline's or operators' addresses, not a network)",
        ]);
        expect(validateEksArgs({ apiAccessCidrs: ["198.51.100.0/23"], nodeGroups: sizes })).toHaveLength(1);
        expect(validateEksArgs({ apiAccessCidrs: ["300.1.1.1/32"], nodeGroups: sizes })).toEqual(["apiAccessCidrs: 300.1.1.1/32 is not an IPv4 CIDR"]);
        expect(validateEksArgs({ apiAccessCidrs: ["203.0.113.10/32", "203.0.113.11/32", "198.51.100.0/24"], nodeGroups: sizes })).toEqual([]);
    });

    it("refuses more ranges than EKS admits per cluster (40)", () => {
        const cidrs = (n: number) => Array.from({ length: n }, (_, i) => `198.51.100.${i}/32`);
        expect(maxApiAccessCidrs).toBe(40);
        expect(validateEksArgs({ apiAccessCidrs: cidrs(40), nodeGroups: sizes })).toEqual([]);
        expect(validateEksArgs({ apiAccessCidrs: cidrs(41), nodeGroups: sizes })).toEqual(["apiAccessCidrs has 41 ranges; EKS admits at most 40 per cluster"]);
    });

    it("the bootstrap stack's export must be a non-empty list of /32s", () => {
        expect(validateRunnerEgress("o/bootstrap/s", ["203.0.113.10/32", "203.0.113.11/32"])).toEqual([]);
        expect(validateRunnerEgress("o/bootstrap/s", [])).toHaveLength(1);
        expect(validateRunnerEgress("o/bootstrap/s", undefined)).toHaveLength(1);
        expect(validateRunnerEgress("o/bootstrap/s", ["203.0.113.0/24"])).toEqual(['bootstrap stack o/bootstrap/s: runnerEgressCidrs entry "203.0.113.0/24" is not an IPv4 /32']);
    });

    it("an operator range joins the runners' /32s; a /8 fails the stack before any cluster exists", async () => {
        const ok = readStackFile("prod-eu");
        (ok.aws as Record<string, unknown>).apiAccessCidrs = ["198.51.100.7/32"];
        const run = await runProgram("prod-eu", { config: ok });
        expect(run.error).toBeNull();
        const clusters = byType(run, "aws:eks/cluster:Cluster");
        expect(clusters).toHaveLength(2);
        for (const c of clusters) {
            expect((c.props as { vpcConfig: { publicAccessCidrs: string[] } }).vpcConfig.publicAccessCidrs).toEqual([
                ...mockBootstrapOutputs("melmastoon/bootstrap/deploy-prod-eu").runnerEgressCidrs,
                "198.51.100.7/32",
            ]);
        }

        const bad = readStackFile("prod-eu");
        (bad.aws as Record<string, unknown>).apiAccessCidrs = ["10.0.0.0/8"];
        const refused = await runProgram("prod-eu", { config: bad });
        expect(refused.errorKind).toBe("program");
        expect(refused.error).toContain("apiAccessCidrs must not contain 10.0.0.0/8: broader than /24");
        expect(byType(refused, "aws:eks/cluster:Cluster")).toEqual([]);
    });

    it("a stack without its bootstrap stack reference is a config error", async () => {
        const missing = readStackFile("staging");
        delete missing.deploy;
        const run = await runProgram("staging", { config: missing });
        expect(run.errorKind).toBe("config");
        expect(run.error).toContain("learning-platform:deploy");
        const wrong = { ...readStackFile("staging"), deploy: { bootstrapStack: "melmastoon/learning-platform/staging" } };
        const run2 = await runProgram("staging", { config: wrong });
        expect(run2.errorKind).toBe("config");
        expect(run2.error).toContain("<org>/bootstrap/<stack>");
    });
});
