import { RegisteredResource, StackRun, readStackFile } from "../../plan/engine";
import { awsOutputs } from "../../plan/mocks/aws";
import { BOOTSTRAP_PROJECT, codebuildProjectName, parseBootstrapConfig } from "../../bootstrap/config";
import { runnerSubnets } from "../../bootstrap/runner";
import { regionsAllowed } from "../../data/regions";
import { BOOTSTRAP_DIR, bootstrapStacks, runBootstrap } from "./harness";

/**
 * The bootstrap program (bootstrap/): per main stack, CodeBuild-hosted GitHub Actions runners in a
 * runner VPC whose NAT addresses are the pipeline's only egress. Planned offline through the same
 * engine as the main program (its `project` option), each stack file as written.
 */

const byType = (run: StackRun, type: string) => run.resources.filter((r) => r.type === type);
function one(run: StackRun, type: string): RegisteredResource {
    const found = byType(run, type);
    expect(found).toHaveLength(1);
    return found[0];
}
/** The id the offline engine gives a resource (the mock's computed id for its type and name). */
function mockId(type: string, name: string): string {
    const fn = awsOutputs[type];
    return String(fn({ type, name, inputs: {} }, { accountId: "0", gcpProject: "p", gcpProjectNumber: "1", regionOf: () => "us-east-1", onResource: () => undefined }).id);
}
const props = (r: RegisteredResource) => r.props as Record<string, unknown>;

const stacks = bootstrapStacks();

describe("the bootstrap stacks", () => {
    it("one per main stack: deploy-dev, deploy-staging, deploy-prod-us, deploy-prod-eu, deploy-prod-me, deploy-prod-ap", () => {
        expect(stacks).toEqual(["deploy-dev", "deploy-prod-ap", "deploy-prod-eu", "deploy-prod-me", "deploy-prod-us", "deploy-staging"]);
    });

    it.each(["dev", "staging", "prod-us", "prod-eu", "prod-me", "prod-ap"])("main stack %s names its bootstrap stack, which serves it from its account and first active AWS region", (main) => {
        const mainRaw = readStackFile(main) as { deploy: { bootstrapStack: string }; residency: string; aws: { accountId: string; regions: { region: string; role: string }[] } };
        const [org, project, stack] = mainRaw.deploy.bootstrapStack.split("/");
        expect([org, project]).toEqual(["melmastoon", BOOTSTRAP_PROJECT]);
        const b = parseBootstrapConfig(stack, readStackFile(stack, BOOTSTRAP_DIR, BOOTSTRAP_PROJECT));
        expect(b.serves).toBe(main);
        expect(b.aws.accountId).toBe(mainRaw.aws.accountId);
        expect(b.residency).toBe(mainRaw.residency);
        // Residency: EU stacks' pipeline runs in the EU, ME in the ME.
        expect(b.aws.region).toBe(mainRaw.aws.regions.find((r) => r.role === "active")?.region);
    });
});

describe.each(stacks)("bootstrap stack %s", (stack) => {
    let run: StackRun;
    beforeAll(async () => {
        run = await runBootstrap(stack);
    });

    it("plans without error, every AWS resource in the runner region of its residency zone", () => {
        expect(run.error).toBeNull();
        const raw = readStackFile(stack, BOOTSTRAP_DIR, BOOTSTRAP_PROJECT) as { residency: "us" | "eu" | "me" | "global"; aws: { region: string } };
        expect(regionsAllowed("aws", raw.residency)).toContain(raw.aws.region);
        const custom = run.resources.filter((r) => r.type.startsWith("aws:"));
        expect(custom.length).toBeGreaterThan(20);
        expect(new Set(custom.map((r) => r.region))).toEqual(new Set([raw.aws.region]));
        expect(run.outputs.region).toBe(raw.aws.region);
    });

    it("runs the CodeBuild project in the two private subnets, behind the HTTPS-only security group", () => {
        expect(run.error).toBeNull();
        const project = props(one(run, "aws:codebuild/project:Project"));
        const vpc = project.vpcConfig as { vpcId: string; subnets: string[]; securityGroupIds: string[] };
        expect(vpc.subnets).toEqual(["runner-private-z1", "runner-private-z2"].map((n) => mockId("aws:ec2/subnet:Subnet", n)));
        expect(vpc.securityGroupIds).toEqual([mockId("aws:ec2/securityGroup:SecurityGroup", "runner-sg")]);
        expect(vpc.vpcId).toBe(mockId("aws:ec2/vpc:Vpc", "runner-vpc"));
        // The private subnets leave through the NAT gateways only; nothing gets a public address.
        const vpcCidr = (readStackFile(stack, BOOTSTRAP_DIR, BOOTSTRAP_PROJECT).aws as { vpcCidr: string }).vpcCidr;
        const subnets = byType(run, "aws:ec2/subnet:Subnet");
        expect(subnets).toHaveLength(4);
        expect(subnets.every((s) => props(s).mapPublicIpOnLaunch === false)).toBe(true);
        expect(subnets.filter((s) => s.name.includes("private")).map((s) => props(s).cidrBlock)).toEqual(runnerSubnets(vpcCidr).private);
        const privateRoutes = byType(run, "aws:ec2/routeTable:RouteTable").filter((r) => r.name.includes("private"));
        expect(privateRoutes).toHaveLength(2);
        expect(privateRoutes.map((r) => (props(r).routes as { natGatewayId?: string; gatewayId?: string }[]).map((x) => x.natGatewayId))).toEqual([
            [mockId("aws:ec2/natGateway:NatGateway", "runner-nat-z1")],
            [mockId("aws:ec2/natGateway:NatGateway", "runner-nat-z2")],
        ]);
        const nats = byType(run, "aws:ec2/natGateway:NatGateway");
        expect(nats.map((n) => props(n).subnetId)).toEqual(["runner-public-z1", "runner-public-z2"].map((n) => mockId("aws:ec2/subnet:Subnet", n)));
    });

    it("a Linux container of a curated image (Node.js, AWS CLI), unprivileged, with a timeout", () => {
        const env = props(one(run, "aws:codebuild/project:Project")).environment as Record<string, unknown>;
        expect(env.type).toBe("LINUX_CONTAINER");
        expect(env.image).toMatch(/^aws\/codebuild\/standard:/);
        expect(env.privilegedMode).toBe(false);
        expect(props(one(run, "aws:codebuild/project:Project")).buildTimeout).toBeLessThanOrEqual(120);
    });

    it("the security group lets out TCP 443 only and lets nothing in", () => {
        const sg = props(one(run, "aws:ec2/securityGroup:SecurityGroup"));
        expect(sg.ingress).toEqual([]);
        const egress = sg.egress as { protocol: string; fromPort: number; toPort: number }[];
        expect(egress).toHaveLength(1);
        expect(egress.map((e) => [e.protocol, e.fromPort, e.toPort])).toEqual([["tcp", 443, 443]]);
        // The VPC's default group is emptied.
        expect(props(one(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")).ingress).toBeUndefined();
    });

    it("the webhook starts a runner for a queued workflow job (filter EVENT = WORKFLOW_JOB_QUEUED)", () => {
        const hook = props(one(run, "aws:codebuild/webhook:Webhook"));
        expect(hook.projectName).toBe(`learning-platform-${stack}`);
        expect(hook.filterGroups).toEqual([{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }]);
        const source = props(one(run, "aws:codebuild/project:Project")).source as { type: string; location: string; auth: { type: string; resource: string } };
        expect(source.type).toBe("GITHUB");
        expect(source.auth.type).toBe("CODECONNECTIONS");
        expect(source.auth.resource).toMatch(/^arn:aws:codeconnections:/);
        expect(props(one(run, "aws:codeconnections/connection:Connection")).providerType).toBe("GitHub");
    });

    it("exports the NAT gateways' Elastic IPs as /32s, the pipeline's only egress, and the runner label", () => {
        const eips = byType(run, "aws:ec2/eip:Eip");
        expect(eips).toHaveLength(2);
        const expected = eips.map((e) => `${String(awsOutputs["aws:ec2/eip:Eip"]({ type: e.type, name: e.name, inputs: {} }, { accountId: "0", gcpProject: "p", gcpProjectNumber: "1", regionOf: () => "x", onResource: () => undefined }).publicIp)}/32`);
        expect(run.outputs.runnerEgressCidrs).toEqual(expected);
        expect(byType(run, "aws:ec2/natGateway:NatGateway").map((n) => props(n).allocationId)).toEqual(eips.map((e) => mockId("aws:ec2/eip:Eip", e.name)));
        // Stable addresses: protected outside dev.
        expect(eips.map((e) => e.protect)).toEqual(stack === "deploy-dev" ? [false, false] : [true, true]);
        expect(run.outputs.runnerLabel).toBe(`codebuild-learning-platform-${stack}-\${{ github.run_id }}-\${{ github.run_attempt }}`);
    });

    it("build logs go to an encrypted log group with a retention", () => {
        const group = props(one(run, "aws:cloudwatch/logGroup:LogGroup"));
        expect(group.retentionInDays).toBeGreaterThanOrEqual(14);
        expect(group.kmsKeyId).toMatch(/^arn:aws:kms:/);
        const logs = props(one(run, "aws:codebuild/project:Project")).logsConfig as { cloudwatchLogs: { status: string; groupName: string } };
        expect(logs.cloudwatchLogs).toEqual({ status: "ENABLED", groupName: group.name });
    });

    it("the runner role: CodeBuild of this account only, under a permissions boundary, no deploy or IAM permissions", () => {
        const role = props(one(run, "aws:iam/role:Role"));
        const trust = JSON.parse(String(role.assumeRolePolicy)) as { Statement: { Principal: { Service: string }; Condition: { StringEquals: Record<string, string> } }[] };
        expect(trust.Statement.map((s) => s.Principal.Service)).toEqual(["codebuild.amazonaws.com"]);
        expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toMatch(/^\d{12}$/);
        // The boundary is the bootstrap's own policy (its mocked ARN names it).
        expect(byType(run, "aws:iam/policy:Policy").map((p) => p.name)).toEqual(["runner-boundary"]);
        expect(role.permissionsBoundary).toMatch(/^arn:aws:iam:.*runner-boundary$/);
        const policy = JSON.parse(String(props(one(run, "aws:iam/rolePolicy:RolePolicy")).policy)) as { Statement: { Action: string | string[] }[] };
        const actions = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
        expect(actions.length).toBeGreaterThan(5);
        expect(actions.filter((a) => a.includes("*") || /^(iam|sts|eks|s3|kms):/.test(a))).toEqual([]);
    });
});

describe("bootstrap validation", () => {
    const raw = () => readStackFile("deploy-prod-eu", BOOTSTRAP_DIR, BOOTSTRAP_PROJECT);

    it("CodeBuild project names: 2–150 of [A-Za-z0-9-_], starting with a letter or digit", () => {
        for (const stack of stacks) {
            expect(`learning-platform-${stack}`).toMatch(codebuildProjectName);
        }
        expect(codebuildProjectName.test(`a${"b".repeat(149)}`)).toBe(true);
        expect(codebuildProjectName.test(`a${"b".repeat(150)}`)).toBe(false);
        expect(codebuildProjectName.test("-leading-dash")).toBe(false);
        expect(() => parseBootstrapConfig(`deploy-${"x".repeat(140)}`, raw())).toThrow(/CodeBuild project name/);
    });

    it("refuses a runner region outside the served stack's residency zone", async () => {
        expect(() => parseBootstrapConfig("deploy-prod-eu", raw())).not.toThrow();
        const bad = { ...raw(), aws: { ...(raw().aws as object), region: "us-east-1" } };
        expect(() => parseBootstrapConfig("deploy-prod-eu", bad)).toThrow(/us-east-1 is not in residency zone "eu"/);
        const run = await runBootstrap("deploy-prod-eu", bad);
        expect(run.error).toContain('not in residency zone "eu"');
        expect(run.resources.filter((r) => r.type.startsWith("aws:"))).toEqual([]);
    });

    it("before the connection's handshake: network, role and connection, but no project or webhook yet", async () => {
        const first = { ...raw(), github: { repository: "melmastoon/learning-platform-infra", connectionAuthorized: false } };
        const run = await runBootstrap("deploy-prod-eu", first);
        expect(run.error).toBeNull();
        expect(byType(run, "aws:codebuild/project:Project")).toEqual([]);
        expect(byType(run, "aws:codebuild/webhook:Webhook")).toEqual([]);
        expect(byType(run, "aws:codeconnections/connection:Connection")).toHaveLength(1);
        expect(run.outputs.connectionStatus).toBe("PENDING");
        expect(run.outputs.runnerEgressCidrs).toHaveLength(2);
    });
});
