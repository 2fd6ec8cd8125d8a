import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { k8sServices } from "../../data/catalog";
import { Environment, environments } from "../../data/catalog/types";
import { binaryAuthorizationEnforcement, cloudDeployPlan, canaryPhaseId, isApiRole, isProgressive, releaseOf, rollbackGate, stablePhaseId } from "../../data/catalog/release";
import { arr, environmentOf, obj } from "./util";

/**
 * Release safety (issue 12; seeds/000 §8, 001 §6, 002 §8, 003 §10): every API role is released
 * progressively with the document's steps and the rollback gate; every Cloud Run service is under
 * Binary Authorization and the Cloud Deploy canary is the document's; every service namespace on
 * EKS admits only images whose signature verifies.
 */

const CANARY = "kubernetes:flagger.app/v1beta1:Canary";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const IMAGE_POLICY = "kubernetes:policy.sigstore.dev/v1beta1:ClusterImagePolicy";
const RUN = "gcp:cloudrunv2/service:Service";
const BINAUTHZ = "gcp:binaryauthorization/policy:Policy";
const PIPELINE = "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline";
const TARGET = "gcp:clouddeploy/target:Target";

/** The namespace label the sigstore policy-controller selects (components/k8s/delivery.ts renders it). */
export const imageVerificationLabelKey = "policy.sigstore.dev/include";

const isEnvironment = (v: unknown): v is Environment => typeof v === "string" && (environments as readonly string[]).includes(v);
const scopeOf = (r: PolicyResource) => `${r.provider?.name ?? "default"}/${String(obj(r.props.metadata).namespace ?? "")}`;
const sameNumbers = (a: unknown[], b: readonly number[]) => a.length === b.length && a.every((x, i) => Number(x) === b[i]);

/** Findings of one Canary against its role's strategy and the rollback gate (pure; the tests call it). */
export function canaryProblems(canary: Record<string, unknown>, expected: ReturnType<typeof releaseOf>): string[] {
    const problems: string[] = [];
    const analysis = obj(obj(canary.spec).analysis);
    if (expected.kind === "canary") {
        const steps = arr(analysis.stepWeights);
        if (!sameNumbers(steps, expected.stepWeights)) {
            problems.push(`canary steps ${steps.join(", ") || "none"}, the document's are ${expected.stepWeights.join(", ")} (then 100)`);
        }
    } else if (expected.kind === "blue-green") {
        if (arr(analysis.stepWeights).length > 0 || typeof analysis.iterations !== "number" || analysis.iterations < 1) {
            problems.push("blue/green needs analysis iterations and no traffic steps");
        }
    }
    const metrics = arr(analysis.metrics).map(obj);
    const max = (name: string) => Number(obj(metrics.find((m) => m.name === name)?.thresholdRange).max);
    if (!(max("error-rate") <= rollbackGate.maxErrorRatePercent)) {
        problems.push(`no error-rate check at ≤ ${rollbackGate.maxErrorRatePercent} %`);
    }
    if (!(max("p95-versus-baseline") <= rollbackGate.maxP95VersusBaseline)) {
        problems.push(`no p95 check at ≤ ${rollbackGate.maxP95VersusBaseline}x the baseline`);
    }
    if (!(Number(analysis.threshold) >= 1)) {
        problems.push("no failed-check threshold (no automatic rollback)");
    }
    return problems;
}

export const progressiveDelivery: StackValidationPolicy = {
    name: "release-progressive-delivery",
    description:
        "Every API role on EKS has a Flagger Canary with its document's strategy for the stack's environment (assignment: canary 10 % in staging, 1/10/50 % in prod; authoring and progress: blue/green), gated on error rate ≤ 1 % and p95 ≤ 2x the baseline with automatic rollback.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const cards = new Map(k8sServices().map((c) => [c.namespace, c]));
        for (const ns of args.resources.filter((r) => r.type === NAMESPACE)) {
            const meta = obj(ns.props.metadata);
            const card = obj(meta.labels)["app.kubernetes.io/part-of"] === "learning-platform" ? cards.get(String(meta.name)) : undefined;
            const env = obj(meta.labels).environment;
            if (!card || !isEnvironment(env)) {
                continue;
            }
            const scope = `${ns.provider?.name ?? "default"}/${card.namespace}`;
            const canaries = args.resources.filter((r) => r.type === CANARY && scopeOf(r) === scope);
            for (const role of card.roles.filter(isApiRole)) {
                const expected = releaseOf(role, env);
                const wl = `${card.service.replace(/-service$/, "")}-${role.name}`;
                const canary = canaries.find((c) => obj(obj(c.props.spec).targetRef).name === wl);
                if (!isProgressive(expected)) {
                    report(`${card.service}/${role.name} (${env}): an API role released by ${expected.kind}, not progressively`, ns.urn);
                } else if (!canary) {
                    report(`${card.service}/${role.name} (${env}): no Canary targets Deployment ${wl}`, ns.urn);
                } else {
                    for (const p of canaryProblems(canary.props, expected)) {
                        report(`${card.service}/${role.name} (${env}): ${p}`, canary.urn);
                    }
                }
            }
        }
    },
};

export const imageVerification: StackValidationPolicy = {
    name: "release-image-verification",
    description:
        "Every service namespace on EKS is under the sigstore policy-controller (label policy.sigstore.dev/include=true) and its cluster has an enforcing ClusterImagePolicy with a key authority: unsigned images are refused.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const namespaces = new Set(k8sServices().map((c) => c.namespace));
        for (const ns of args.resources.filter((r) => r.type === NAMESPACE)) {
            const meta = obj(ns.props.metadata);
            if (obj(meta.labels)["app.kubernetes.io/part-of"] !== "learning-platform" || !namespaces.has(String(meta.name))) {
                continue;
            }
            if (obj(meta.labels)[imageVerificationLabelKey] !== "true") {
                report(`namespace ${String(meta.name)} is not under image verification (label ${imageVerificationLabelKey}=true missing)`, ns.urn);
            }
            const policies = args.resources.filter((r) => r.type === IMAGE_POLICY && r.provider?.name === ns.provider?.name).map((r) => obj(r.props.spec));
            const enforcing = policies.filter((s) => (s.mode ?? "enforce") === "enforce" && arr(s.authorities).some((a) => Object.keys(obj(obj(a).key)).length > 0));
            if (enforcing.length === 0) {
                report(`namespace ${String(meta.name)}: its cluster has no enforcing ClusterImagePolicy with a key authority`, ns.urn);
            }
        }
    },
};

export const cloudRunBinaryAuthorization: ResourceValidationPolicy = {
    name: "release-cloud-run-binary-authorization",
    description:
        "Every Cloud Run service evaluates the project's Binary Authorization policy (no breakglass), and that policy requires an attestation, enforced in staging and prod.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === RUN) {
            const b = obj(args.props.binaryAuthorization);
            if (b.useDefault !== true && !(typeof b.policy === "string" && b.policy !== "")) {
                report(`Cloud Run "${args.name}" is not under Binary Authorization (binaryAuthorization.useDefault)`);
            }
            if (typeof b.breakglassJustification === "string" && b.breakglassJustification !== "") {
                report(`Cloud Run "${args.name}" breaks glass past Binary Authorization`);
            }
        }
        if (args.type === BINAUTHZ) {
            const rule = obj(args.props.defaultAdmissionRule);
            const env = environmentOf(args);
            if (rule.evaluationMode !== "REQUIRE_ATTESTATION" || arr(rule.requireAttestationsBies).length === 0) {
                report(`Binary Authorization policy "${args.name}" admits images without the release attestation`);
            }
            if (isEnvironment(env) && rule.enforcementMode !== binaryAuthorizationEnforcement[env]) {
                report(`Binary Authorization policy "${args.name}" is ${String(rule.enforcementMode)} in ${env}; ${binaryAuthorizationEnforcement[env]} expected`);
            }
        }
    },
};

/** Findings of a delivery pipeline's stages against the document's canary (pure; the tests call it). */
export function pipelineProblems(props: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const stages = arr(obj(props.serialPipeline).stages).map(obj);
    if (stages.length === 0) {
        return ["no stages"];
    }
    const order = cloudDeployPlan.targets as readonly string[];
    const ids = stages.map((s) => String(s.targetId).replace(/^.*-/, ""));
    if (ids.some((id, i) => id !== order[i])) {
        problems.push(`stages ${ids.join(" → ")} are not the document's ${order.join(" → ")} in order`);
    }
    const want = [...cloudDeployPlan.canary.map((p) => [canaryPhaseId(p.percent), p.percent, p.soakMinutes * 60] as const), [stablePhaseId, 100, 0] as const];
    for (const [i, stage] of stages.entries()) {
        const phases = arr(obj(obj(obj(stage.strategy).canary).customCanaryDeployment).phaseConfigs).map(obj);
        const got = phases.map((p) => [String(p.phaseId), Number(p.percentage), Number(String(obj(p.analysis).duration ?? "0s").replace(/s$/, ""))] as const);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
            problems.push(`stage ${i + 1} canary ${got.map(([, pct, d]) => `${pct} % / ${d / 60} min`).join(" → ")}, the document's is 5 % / 15 min → 50 % / 30 min → 100 %`);
        }
        const checked = phases.slice(0, -1).every((p) => arr(obj(obj(p.analysis).googleCloud).alertPolicyChecks).some((c) => arr(obj(c).alertPolicies).length >= 3));
        if (!checked) {
            problems.push(`stage ${i + 1}: a canary phase's analysis does not check the three rollback alert policies`);
        }
    }
    return problems;
}

export const cloudDeployCanary: ResourceValidationPolicy = {
    name: "release-cloud-deploy-canary",
    description:
        "The Cloud Deploy pipeline runs the document's stages in order (dev → staging → prod) with the canary 5 % / 15 min → 50 % / 30 min → 100 %, each canary phase analysed on the three rollback alert policies; the prod target requires approval.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === PIPELINE) {
            for (const p of pipelineProblems(args.props)) {
                report(`delivery pipeline "${args.name}": ${p}`);
            }
        }
        if (args.type === TARGET && String(args.props.name).endsWith("-prod") && args.props.requireApproval !== true) {
            report(`Cloud Deploy target "${args.name}" promotes to prod without approval`);
        }
    },
};

export const releasePolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [progressiveDelivery, imageVerification, cloudRunBinaryAuthorization, cloudDeployCanary];
