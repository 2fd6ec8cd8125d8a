import { Environment, K8sRole, K8sServiceCard, PerEnv, ReleaseStrategy, environments } from "./types";

/**
 * Release data shared by both clouds (seeds/000 §8 §11, 001 §6 §12, 002 §8, 003 §10). Pure data and
 * functions: components render it (Flagger on EKS, Cloud Deploy on Cloud Run), tests and the policy
 * pack compare against it.
 */

/**
 * The automatic-rollback gate (seed 001 §6, the only document that states one; the EKS services'
 * documents give the steps but no gate, so they share it): error rate above 1 % over 5 minutes on the
 * new version, or its p95 latency above twice the current version's (the baseline).
 */
export const rollbackGate = {
    maxErrorRatePercent: 1,
    errorWindowMinutes: 5,
    maxP95VersusBaseline: 2,
} as const;

/** seeds/000 §8: staging canary 10 % → 100 %; prod-us 1 % → 10 % → 50 % → 100 % (prod-eu/me the same, 24 h later). */
export const assignmentCanarySteps = { staging: [10], prod: [1, 10, 50] } as const;

/** One analysis interval per step: long enough for the 5-minute error window to fill. */
export const canaryStepMinutes = 5;

/** The assignment API's canary per environment; dev runs staging's steps (continuous deployment, seed 001 §6). */
export const assignmentApiRelease: PerEnv<ReleaseStrategy> = {
    dev: { kind: "canary", stepWeights: assignmentCanarySteps.staging, stepMinutes: canaryStepMinutes },
    staging: { kind: "canary", stepWeights: assignmentCanarySteps.staging, stepMinutes: canaryStepMinutes },
    prod: { kind: "canary", stepWeights: assignmentCanarySteps.prod, stepMinutes: canaryStepMinutes },
};

/** Blue/green (seeds/002 §8, 003 §10): the green is analysed under synthetic traffic, then takes all traffic at once. */
export const blueGreenRelease: PerEnv<ReleaseStrategy> = {
    dev: { kind: "blue-green", iterations: 2, stepMinutes: canaryStepMinutes },
    staging: { kind: "blue-green", iterations: 3, stepMinutes: canaryStepMinutes },
    prod: { kind: "blue-green", iterations: 6, stepMinutes: canaryStepMinutes },
};

/** Rolling (seeds/002 §8 workers, 003 §10 ingest/projector): one new pod before an old one goes, never fewer. */
export const rollingRelease: PerEnv<ReleaseStrategy> = {
    dev: { kind: "rolling", maxSurge: 1, maxUnavailable: 0 },
    staging: { kind: "rolling", maxSurge: 1, maxUnavailable: 0 },
    prod: { kind: "rolling", maxSurge: 1, maxUnavailable: 0 },
};

/** The collab server (seeds/002 §8): clients notified 5 min before, sessions drained, pods recreated (unchanged). */
export const drainRecreateRelease: PerEnv<ReleaseStrategy> = {
    dev: { kind: "drain-recreate" },
    staging: { kind: "drain-recreate" },
    prod: { kind: "drain-recreate" },
};

/** A role's strategy in an environment; a role without one rolls. */
export function releaseOf(role: K8sRole, environment: Environment): ReleaseStrategy {
    return role.release?.[environment] ?? rollingRelease[environment];
}

/** Strategies the progressive-delivery controller runs (with analysis and automatic rollback). */
export function isProgressive(s: ReleaseStrategy): s is Extract<ReleaseStrategy, { kind: "canary" | "blue-green" }> {
    return s.kind === "canary" || s.kind === "blue-green";
}

/** A role that serves HTTP API traffic (the roles the documents give blue/green or canary). */
export function isApiRole(role: K8sRole): boolean {
    return role.runtime === "deployment" && role.exposure?.protocol === "http";
}

/** Checks of one role's strategy; empty when valid. */
export function validateRelease(role: K8sRole, environment: Environment): string[] {
    const s = releaseOf(role, environment);
    const problems: string[] = [];
    const where = `role ${role.name} (${environment})`;
    if (isProgressive(s) && (role.runtime !== "deployment" || !role.exposure)) {
        problems.push(`${where}: ${s.kind} needs a Deployment that serves traffic`);
    }
    if (s.kind === "canary") {
        const w = s.stepWeights;
        if (w.length === 0 || w.some((x, i) => x <= 0 || x >= 100 || (i > 0 && x <= w[i - 1]))) {
            problems.push(`${where}: canary step weights ${w.join(", ")} must rise strictly inside 1..99`);
        }
    }
    if (isProgressive(s) && s.stepMinutes < rollbackGate.errorWindowMinutes) {
        problems.push(`${where}: step of ${s.stepMinutes} min is shorter than the ${rollbackGate.errorWindowMinutes}-min error window`);
    }
    if (s.kind === "blue-green" && s.iterations < 1) {
        problems.push(`${where}: blue/green needs at least one analysis iteration`);
    }
    if (s.kind === "rolling" && s.maxSurge === 0 && s.maxUnavailable === 0) {
        problems.push(`${where}: rolling with maxSurge 0 and maxUnavailable 0 cannot progress`);
    }
    return problems;
}

/** APP_ROLE of the image's migration entry point (forward-only, backward-compatible migrations, seed 001 §6). */
export const migrateAppRole = "migrate";
/** APP_ROLE of the one-time database bootstrap (creates the service's login role and grants rds_iam). */
export const dbBootstrapAppRole = "db-bootstrap";

/**
 * Cloud Deploy for notification-service (seed 001 §6): targets in order, prod behind approval, the
 * prod canary 5 % for 15 min → 50 % for 30 min → 100 %.
 */
export const cloudDeployPlan = {
    targets: ["dev", "staging", "prod"] as const,
    approvalRequired: ["prod"] as const,
    canary: [
        { percent: 5, soakMinutes: 15 },
        { percent: 50, soakMinutes: 30 },
    ],
} as const;

/** Production waves (seeds/000 §8): prod-us first, the other regions no earlier than 24 h after it succeeded. */
export const productionWaves = {
    first: "prod-us",
    later: ["prod-eu", "prod-me", "prod-ap"],
    delayHours: 24,
    stagingSoakHours: 48,
} as const;

/** Namespace of the progressive-delivery controller (Flagger), its load tester and metric templates. */
export const flaggerNamespace = "flagger";
/** Service account of Flagger's load tester: its mesh identity sends the synthetic traffic of each analysis step. */
export const loadTesterServiceAccount = "flagger-loadtester";

/** Whether any role of the card is progressive in some environment (its namespace then admits the load tester). */
export function hasProgressiveRole(card: K8sServiceCard): boolean {
    return card.roles.some((r) => environments.some((e) => isProgressive(releaseOf(r, e))));
}

/**
 * Binary Authorization per environment: dev only audits (a developer's unsigned image is logged, not
 * blocked); staging and prod block anything without the release attestation.
 */
export const binaryAuthorizationEnforcement: PerEnv<"DRYRUN_AUDIT_LOG_ONLY" | "ENFORCED_BLOCK_AND_AUDIT_LOG"> = {
    dev: "DRYRUN_AUDIT_LOG_ONLY",
    staging: "ENFORCED_BLOCK_AND_AUDIT_LOG",
    prod: "ENFORCED_BLOCK_AND_AUDIT_LOG",
};

/**
 * Where the pre-production stages of a Cloud Deploy pipeline deploy (Pulumi.dev.yaml and
 * Pulumi.staging.yaml name these projects and active regions; tests/release compares them).
 */
export const preProductionTargets: Readonly<Record<"dev" | "staging", { readonly project: string; readonly region: string }>> = {
    dev: { project: "melmastoon-dev", region: "asia-south1" },
    staging: { project: "melmastoon-staging", region: "asia-south1" },
};

/** The stages of a stack's pipeline: every environment up to and including the stack's own, in the document's order. */
export function cloudDeployStages(environment: Environment): Environment[] {
    const order = cloudDeployPlan.targets;
    return order.slice(0, order.indexOf(environment) + 1);
}

/** Cloud Deploy's phase id of a canary percentage (`canary-5`), and of the last phase. */
export const canaryPhaseId = (percent: number): string => `canary-${percent}`;
export const stablePhaseId = "stable";
