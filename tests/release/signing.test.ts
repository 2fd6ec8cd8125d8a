import { listStacks, readStackFile, RegisteredResource } from "../../plan/engine";
import { runPolicies } from "../../plan/policy-runner";
import { k8sServices } from "../../data/catalog";
import { cloudRunBinaryAuthorization, imageVerification } from "../../policy/rules/release";
import { fixture, nonEmpty, planOf, providerFixture } from "../harness";

/**
 * Only signed images run (issue 12; seeds/000 §8 "Sign (cosign) → SBOM"): on EKS the sigstore
 * policy-controller admits into every service namespace only images whose cosign signature verifies
 * against the region's KMS key; on Cloud Run every service evaluates the project's Binary
 * Authorization policy, which requires the release attestation (enforced in staging and prod).
 */

const labelsOf = (r: RegisteredResource) => (r.props.metadata as { labels: Record<string, string> }).labels;

describe.each(listStacks())("%s: signed images only", (stack) => {
    it("every service namespace is under verification by an enforcing policy keyed to the region's ECC P-256 signing key", async () => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        const regions = (readStackFile(stack).aws as { regions: { region: string }[] }).regions.map((r) => r.region);
        const namespaces = planned.run.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace" && labelsOf(r)["app.kubernetes.io/part-of"] === "learning-platform");
        expect(namespaces).toHaveLength(k8sServices().length * regions.length);
        for (const ns of nonEmpty(namespaces)) {
            expect(labelsOf(ns)["policy.sigstore.dev/include"]).toBe("true");
        }
        for (const region of nonEmpty(regions)) {
            const key = planned.run.resources.find((r) => r.type === "aws:kms/key:Key" && r.name === `${region}-release-image-signing`);
            expect(key?.props).toMatchObject({ keyUsage: "SIGN_VERIFY", customerMasterKeySpec: "ECC_NIST_P256" });
            const policy = planned.run.resources.find((r) => r.type === "kubernetes:policy.sigstore.dev/v1beta1:ClusterImagePolicy" && r.provider === `${region}-eks-k8s`);
            const spec = policy?.props.spec as { mode: string; images: unknown[]; authorities: { key: { kms: string } }[] };
            expect(spec.mode).toBe("enforce");
            expect(spec.images).toEqual([{ glob: "**" }]);
            // One authority: the region's own key (verification never depends on another region).
            expect(spec.authorities.map((a) => a.key.kms)).toEqual([expect.stringMatching(new RegExp(`^awskms:///arn:aws:kms:${region}:`))]);
        }
        expect(planned.findings.filter((f) => f.ruleId === "release-image-verification" || f.ruleId === "release-cloud-run-binary-authorization")).toEqual([]);
    });

    it("every Cloud Run service is under Binary Authorization; the policy requires the release attestation, enforced outside dev", async () => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        const services = planned.run.resources.filter((r) => r.type === "gcp:cloudrunv2/service:Service");
        for (const s of nonEmpty(services)) {
            expect(s.props.binaryAuthorization).toEqual({ useDefault: true });
        }
        const policies = planned.run.resources.filter((r) => r.type === "gcp:binaryauthorization/policy:Policy");
        expect(policies).toHaveLength(1);
        const rule = policies[0].props.defaultAdmissionRule as { evaluationMode: string; enforcementMode: string; requireAttestationsBies: string[] };
        expect(rule.evaluationMode).toBe("REQUIRE_ATTESTATION");
        expect(rule.requireAttestationsBies).toHaveLength(1);
        // Dry-run off in staging and prod (the issue); dev only audits.
        expect(rule.enforcementMode).toBe(readStackFile(stack).environment === "dev" ? "DRYRUN_AUDIT_LOG_ONLY" : "ENFORCED_BLOCK_AND_AUDIT_LOG");
        const key = planned.run.resources.find((r) => r.type === "gcp:kms/cryptoKey:CryptoKey" && r.name === "gcp-image-admission-attestor-key");
        expect(key?.props).toMatchObject({ purpose: "ASYMMETRIC_SIGN", versionTemplate: { algorithm: "EC_SIGN_P256_SHA256" } });
        const attestor = planned.run.resources.find((r) => r.type === "gcp:binaryauthorization/attestor:Attestor");
        expect((attestor?.props.attestationAuthorityNote as { publicKeys: { pkixPublicKey: { signatureAlgorithm: string } }[] }).publicKeys[0].pkixPublicKey.signatureAlgorithm).toBe("ECDSA_P256_SHA256");
    });
});

describe("release-image-verification", () => {
    const ns = (labels: Record<string, string>) => fixture("kubernetes:core/v1:Namespace", { metadata: { name: "assignment", labels: { "app.kubernetes.io/part-of": "learning-platform", ...labels } } });
    const policy = (mode: string) => fixture("kubernetes:policy.sigstore.dev/v1beta1:ClusterImagePolicy", { metadata: { name: "release-signed" }, spec: { mode, images: [{ glob: "**" }], authorities: [{ key: { kms: "awskms:///arn:aws:kms:us-east-1:1:key/k" } }] } });
    it("passes with the label and an enforcing key policy; fails without either", async () => {
        expect(await runPolicies([imageVerification], [ns({ "policy.sigstore.dev/include": "true" }), policy("enforce")])).toEqual([]);
        expect((await runPolicies([imageVerification], [ns({}), policy("enforce")])).map((f) => f.message)).toEqual(["namespace assignment is not under image verification (label policy.sigstore.dev/include=true missing)"]);
        expect((await runPolicies([imageVerification], [ns({ "policy.sigstore.dev/include": "true" }), policy("warn")])).map((f) => f.message)).toEqual([
            "namespace assignment: its cluster has no enforcing ClusterImagePolicy with a key authority",
        ]);
    });
});

describe("release-cloud-run-binary-authorization", () => {
    const gcpProd = providerFixture("gcp", "gcp-us-east4", { defaultLabels: { environment: "prod" } });
    it("passes on useDefault and an enforcing attestation policy; fails on a service outside it, breakglass, and dry-run in prod", async () => {
        const ok = fixture("gcp:cloudrunv2/service:Service", { binaryAuthorization: { useDefault: true } }, { name: "api" });
        expect(await runPolicies([cloudRunBinaryAuthorization], [ok])).toEqual([]);
        const off = fixture("gcp:cloudrunv2/service:Service", {}, { name: "api" });
        const glass = fixture("gcp:cloudrunv2/service:Service", { binaryAuthorization: { useDefault: true, breakglassJustification: "incident" } }, { name: "api" });
        expect((await runPolicies([cloudRunBinaryAuthorization], [off, glass])).map((f) => f.message)).toEqual([
            'Cloud Run "api" is not under Binary Authorization (binaryAuthorization.useDefault)',
            'Cloud Run "api" breaks glass past Binary Authorization',
        ]);
        const rule = (enforcementMode: string) => ({ defaultAdmissionRule: { evaluationMode: "REQUIRE_ATTESTATION", enforcementMode, requireAttestationsBies: ["release-prod"] } });
        const enforced = fixture("gcp:binaryauthorization/policy:Policy", rule("ENFORCED_BLOCK_AND_AUDIT_LOG"), { name: "p", provider: "gcp-us-east4" });
        const dryRun = fixture("gcp:binaryauthorization/policy:Policy", rule("DRYRUN_AUDIT_LOG_ONLY"), { name: "p", provider: "gcp-us-east4" });
        expect(await runPolicies([cloudRunBinaryAuthorization], [gcpProd, enforced])).toEqual([]);
        expect((await runPolicies([cloudRunBinaryAuthorization], [gcpProd, dryRun])).map((f) => f.message)).toEqual([
            'Binary Authorization policy "p" is DRYRUN_AUDIT_LOG_ONLY in prod; ENFORCED_BLOCK_AND_AUDIT_LOG expected',
        ]);
    });
});
