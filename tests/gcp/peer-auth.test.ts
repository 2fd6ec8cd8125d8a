import { RegisteredResource, StackRun } from "../../plan/engine";
import { runPolicies } from "../../plan/policy-runner";
import { accountIdOfMember, cloudRunInvokers, namedInvokers } from "../../policy/rules/cloudrun-invokers";
import { gcpCloudRunLaunchStage } from "../../policy/rules/gcp";
import { assumedRoleArn, attributeConditionOf, roleNameOfArn } from "../../components/gcp/peer-identity";
import { notificationService } from "../../data/catalog/notification";
import { peerAccountId } from "../../data/naming/gcp";
import { byType, fixture, nonEmpty, one, planOf } from "../harness";

/**
 * Issue 15, authenticated calls on Cloud Run: the internal services accept only callers the card
 * names. Against the clouds' documents: Cloud Run's invoker role `roles/run.invoker` and custom
 * audiences (the token's `aud` = the URL the caller calls), "internal" ingress admitting internal
 * Application Load Balancers, Workload Identity Federation's AWS provider (default mapping
 * `attribute.aws_role` = `arn:aws:sts::<account>:assumed-role/<role>`), HTTPS on 443 with a regional
 * Certificate Manager certificate under DNS authorization (regional certificates cannot use load
 * balancer authorization).
 */

const T = {
    run: "gcp:cloudrunv2/service:Service",
    invokers: "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
    rule: "gcp:compute/forwardingRule:ForwardingRule",
    https: "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
    cert: "gcp:certificatemanager/certificate:Certificate",
    dnsAuth: "gcp:certificatemanager/dnsAuthorization:DnsAuthorization",
    neg: "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
    pool: "gcp:iam/workloadIdentityPool:WorkloadIdentityPool",
    provider: "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
    saBinding: "gcp:serviceaccount/iAMBinding:IAMBinding",
    account: "gcp:serviceaccount/account:Account",
    record: "aws:route53/record:Record",
    role: "aws:iam/role:Role",
} as const;

const domain = "us.melmastoon.com";
const audience = `https://notification-internal.${domain}`;
const project = "melmastoon-prod-us";
const account = "410987654321";
const sa = (id: string) => `serviceAccount:${id}@${project}.iam.gserviceaccount.com`;
const props = (r: RegisteredResource) => r.props as Record<string, unknown>;

let run: StackRun;
beforeAll(async () => {
    run = (await planOf("prod-us")).run;
    expect(run.error).toBeNull();
});

describe("prod-us: the peers' entry behind the internal load balancer", () => {
    it("notification-api-internal: internal ingress, IAM invocation on, GA, custom audience = the internal URL", () => {
        const svc = props(one(run, T.run, "notification-us-east4-api-internal-service"));
        expect(svc).toMatchObject({ name: "notification-api-internal", ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY", invokerIamDisabled: false, launchStage: "GA", customAudiences: [audience] });
    });

    it("roles/run.invoker on it only for the two callers the card names (assignment, progress), nothing public", () => {
        const binding = props(one(run, T.invokers, "notification-us-east4-api-internal-invokers"));
        expect(binding.role).toBe("roles/run.invoker");
        expect([...(binding.members as string[])].sort()).toEqual([sa("peer-assignment-service"), sa("peer-progress-service")]);
        // No other Cloud Run service admits a peer account; the public API has no invoker binding at all.
        const others = byType(run, T.invokers).filter((b) => b.name !== "notification-us-east4-api-internal-invokers");
        expect(nonEmpty(others).flatMap((b) => props(b).members as string[]).filter((m) => m.includes("peer-"))).toEqual([]);
        expect(others.filter((b) => props(b).name === "notification-api")).toEqual([]);
    });

    it("the internal ALB: HTTPS on 443 (not 80) with a regional Certificate Manager certificate under DNS authorization, TLS 1.2+, in front of notification-api-internal", () => {
        const rule = props(one(run, T.rule, "notification-edge-ilb-rule-us-east4"));
        expect(rule).toMatchObject({ loadBalancingScheme: "INTERNAL_MANAGED", portRange: "443", ipProtocol: "TCP" });
        const proxy = props(one(run, T.https, "notification-edge-ilb-https-us-east4"));
        expect(proxy.certificateManagerCertificates).toEqual(["projects/melmastoon-prod-us/locations/us-east4/certificates/notification-internal-us-east4"]);
        const ssl = one(run, "gcp:compute/regionSslPolicy:RegionSslPolicy", "notification-edge-ilb-ssl-us-east4");
        expect(props(ssl)).toMatchObject({ profile: "RESTRICTED", minTlsVersion: "TLS_1_2", region: "us-east4" });
        expect(proxy.sslPolicy).toBe(`${ssl.name}-id`);
        const cert = props(one(run, T.cert, "notification-edge-ilb-cert-us-east4"));
        expect(cert).toMatchObject({ location: "us-east4", managed: { domains: [`notification-internal.${domain}`], dnsAuthorizations: ["projects/melmastoon-prod-us/locations/us-east4/dnsAuthorizations/notification-internal-us-east4"] } });
        expect(props(one(run, T.dnsAuth, "notification-edge-ilb-dns-auth-us-east4"))).toMatchObject({ location: "us-east4", domain: `notification-internal.${domain}`, type: "PER_PROJECT_RECORD" });
        expect(props(one(run, T.neg, "notification-edge-ilb-neg-us-east4")).cloudRun).toEqual({ service: "notification-api-internal" });
        expect(byType(run, "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy")).toEqual([]);
    });

    it("the DNS authorization's CNAME goes to the domain's public Route 53 zone (the AWS side owns it)", () => {
        const record = props(one(run, T.record, "internal-cert-validation-notification-service-us-east4"));
        expect(record).toMatchObject({ type: "CNAME", ttl: 300 });
        expect(String(record.name)).toMatch(new RegExp(`^_acme-challenge_[0-9a-f]+\\.notification-internal\\.${domain.replace(/\./g, "\\.")}\\.$`));
        expect(String((record.records as string[])[0])).toMatch(/\.authorize\.certificatemanager\.goog\.$/);
    });
});

describe("prod-us: the callers' identity (Workload Identity Federation from the IRSA roles)", () => {
    // The service's runtime roles: the one-time database bootstrap's role (issue 12) never calls notification.
    const irsaRoles = (namespace: string) =>
        byType(run, T.role)
            .filter((r) => String(props(r).description).startsWith(`IRSA ${namespace}/`) && !r.name.endsWith("-db-bootstrap-role"))
            .map((r) => r.name)
            .sort();

    it("one pool, an AWS provider for the stack's account only, its condition naming exactly the callers' IRSA roles in both AWS regions", () => {
        expect(props(one(run, T.pool, "gcp-peer-callers-pool")).workloadIdentityPoolId).toBe("aws-eks-callers");
        const provider = props(one(run, T.provider, "gcp-peer-federation-aws"));
        expect(provider).toMatchObject({ workloadIdentityPoolId: "aws-eks-callers", workloadIdentityPoolProviderId: "aws-eks", aws: { accountId: account } });
        const roles = [...irsaRoles("assignment"), ...irsaRoles("progress")];
        expect(roles).toHaveLength(4);
        expect(provider.attributeCondition).toBe(attributeConditionOf(roles.map((r) => assumedRoleArn(account, r))));
        expect(String(provider.attributeCondition)).not.toContain("authoring");
    });

    it("each calling service's account may be impersonated only by its own roles' sessions (roles/iam.workloadIdentityUser)", () => {
        for (const [caller, namespace] of [["assignment-service", "assignment"], ["progress-service", "progress"]] as const) {
            expect(props(one(run, T.account, `gcp-peer-callers-${caller}`)).accountId).toBe(peerAccountId(caller));
            const binding = props(one(run, T.saBinding, `gcp-peer-federation-${caller}-wif-user`));
            expect(binding.role).toBe("roles/iam.workloadIdentityUser");
            expect(binding.serviceAccountId).toBe(`projects/${project}/serviceAccounts/${peerAccountId(caller)}@${project}.iam.gserviceaccount.com`);
            const member = new RegExp(`^principalSet://iam\\.googleapis\\.com/projects/\\d+/locations/global/workloadIdentityPools/aws-eks-callers/attribute\\.aws_role/arn:aws:sts::${account}:assumed-role/(.+)$`);
            const named = (binding.members as string[]).map((m) => member.exec(m)?.[1] ?? `unmatched ${m}`);
            expect(named.sort()).toEqual([...nonEmpty(irsaRoles(namespace))]);
        }
    });
});

describe("prod-us: the project's APIs for the federation and the certificate", () => {
    it("IAM (pools), STS (token exchange), IAM Credentials (ID tokens) and Certificate Manager are enabled, never disabled on destroy", () => {
        const apis = byType(run, "gcp:projects/service:Service").map(props);
        for (const api of ["iam.googleapis.com", "sts.googleapis.com", "iamcredentials.googleapis.com", "certificatemanager.googleapis.com"]) {
            expect(apis.filter((a) => a.service === api)).toEqual([expect.objectContaining({ project, disableOnDestroy: false })]);
        }
    });
});

describe("pure rules of the federation", () => {
    it("the role name of an IRSA role ARN (paths dropped, as in assumed-role ARNs); anything else is refused", () => {
        expect(roleNameOfArn("arn:aws:iam::410987654321:role/assignment-role")).toBe("assignment-role");
        expect(roleNameOfArn("arn:aws:iam::410987654321:role/team/a/assignment-role")).toBe("assignment-role");
        expect(() => roleNameOfArn("arn:aws:iam::410987654321:user/alice")).toThrow(/not an IAM role ARN/);
    });
    it("the attribute condition lists each assumed-role ARN once; no role at all is refused", () => {
        expect(attributeConditionOf(["arn:aws:sts::1:assumed-role/a", "arn:aws:sts::1:assumed-role/a"])).toBe('attribute.aws_role in ["arn:aws:sts::1:assumed-role/a"]');
        expect(() => attributeConditionOf([])).toThrow(/at least one calling role/);
    });
    it("peer account ids fit 6–30 characters; the card's named invokers per role", () => {
        expect(peerAccountId("progress-service")).toBe("peer-progress-service");
        expect(peerAccountId("a-very-long-calling-service-name-x9")).toBe("peer-a-very-long-calling-servi");
        const role = (name: string) => notificationService.roles.find((r) => r.name === name);
        const internal = role("api-internal");
        const router = role("router");
        const prober = role("channel-prober");
        expect([internal, router, prober].every((r) => r !== undefined)).toBe(true);
        expect(internal && namedInvokers(notificationService, internal)).toEqual(["peer-assignment-service", "peer-progress-service"]);
        expect(router && namedInvokers(notificationService, router)).toEqual(["notif-pubsub-push"]);
        expect(prober && namedInvokers(notificationService, prober)).toEqual([]);
        expect(accountIdOfMember("serviceAccount:peer-x-service@p-1.iam.gserviceaccount.com")).toBe("peer-x-service");
        expect(accountIdOfMember("allUsers")).toBeUndefined();
    });
});

describe("gcp-cloud-run-invokers: no internal service invokable by an identity the card does not name", () => {
    const withBinding = (edit: (p: Record<string, unknown>) => Record<string, unknown>, name = "notification-us-east4-api-internal-invokers") =>
        run.resources.map((r) => (r.name === name && r.type === T.invokers ? { ...r, props: edit({ ...r.props }) } : r));

    it("passes on what prod-us registers", async () => {
        expect(await runPolicies([cloudRunInvokers], run.resources)).toEqual([]);
    });

    it("fails: allUsers, allAuthenticatedUsers, or a service account the card does not name on the peers' entry", async () => {
        for (const extra of ["allUsers", "allAuthenticatedUsers", sa("peer-authoring-service")]) {
            const findings = await runPolicies([cloudRunInvokers], withBinding((p) => ({ ...p, members: [...(p.members as string[]), extra] })));
            expect(findings.map((f) => f.message)).toEqual([
                `Cloud Run service "notification-api-internal" (notification-service/api-internal) is invokable by ${extra} (roles/run.invoker), which its card does not name; named: peer-assignment-service, peer-progress-service`,
            ]);
        }
    });

    it("fails: a named caller missing (its calls would be refused), or the push identity granted on a service that consumes nothing", async () => {
        const missing = await runPolicies([cloudRunInvokers], withBinding((p) => ({ ...p, members: [sa("peer-assignment-service")] })));
        expect(missing.map((f) => f.message)).toEqual([`Cloud Run service "notification-api-internal" (notification-service/api-internal) does not admit peer-progress-service, which its card names as invokers`]);
        const extraPush = [...run.resources, fixture(T.invokers, { name: "notification-scheduler", location: "us-east4", role: "roles/run.invoker", members: [sa("notif-pubsub-push")] }, { name: "push-on-scheduler" })];
        expect((await runPolicies([cloudRunInvokers], extraPush)).map((f) => f.message)).toEqual([
            `Cloud Run service "notification-scheduler" (notification-service/scheduler) is invokable by ${sa("notif-pubsub-push")} (roles/run.invoker), which its card does not name; named: none`,
        ]);
    });

    it("fails: IAM invocation turned off on an internal service, and a Cloud Run service no card describes", async () => {
        const resources = run.resources.map((r) => (r.name === "notification-us-east4-api-internal-service" ? { ...r, props: { ...r.props, invokerIamDisabled: true } } : r));
        expect((await runPolicies([cloudRunInvokers], resources)).map((f) => f.message)).toEqual([
            `Cloud Run service "notification-api-internal" (notification-service/api-internal) turns the IAM invoker check off: anyone who reaches it may invoke it`,
        ]);
        const stray = [...run.resources, fixture(T.run, { name: "notification-debug", ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY" }, { name: "stray" })];
        expect((await runPolicies([cloudRunInvokers], stray)).map((f) => f.message)).toEqual([`Cloud Run service "notification-debug" is described by no card: nothing names who may invoke it`]);
    });

    it("custom audiences are a GA field: gcp-cloud-run-launch-stage passes on the GA peers' entry", async () => {
        const svc = one(run, T.run, "notification-us-east4-api-internal-service");
        expect(await runPolicies([gcpCloudRunLaunchStage], [svc])).toEqual([]);
    });
});
