import { z } from "zod";
import { environments } from "../data/catalog/types";
import { ResidencyZone, regionsAllowed, residencyZones } from "../data/regions";

/**
 * The bootstrap project's configuration: one stack per stack of the main program it serves, in
 * that stack's AWS account and its first active AWS region (residency: EU runners in the EU).
 * Validation is pure and runs before any resource exists.
 */

export const BOOTSTRAP_PROJECT = "bootstrap";

/** CodeBuild project names: 2–150 characters, letters, digits, `-` and `_`, starting with a letter or digit (CreateProject API). */
export const codebuildProjectName = /^[A-Za-z0-9][A-Za-z0-9\-_]{1,149}$/;

const schema = z.strictObject({
    /** The main program's stack whose preview/up these runners run (e.g. prod-us). */
    serves: z.string().regex(/^[a-z0-9-]+$/, "a stack name of the main program"),
    environment: z.enum(environments),
    residency: z.enum(residencyZones),
    owner: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and dashes").default("platform-infra"),
    aws: z.strictObject({
        accountId: z.string().regex(/^\d{12}$/, "a 12-digit AWS account id"),
        /** The served stack's first active AWS region: the runners live in its residency zone. */
        region: z.string(),
        /** The runner VPC's range (a /22: two private /24s for build ENIs, two /26s for the NAT gateways). */
        vpcCidr: z.string().regex(/^10\.\d{1,3}\.\d{1,3}\.0\/22$/, "a 10.x.y.0/22 range"),
    }),
    github: z.strictObject({
        /** `owner/name` of the infrastructure repository whose workflow jobs these runners take. */
        repository: z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "a GitHub repository: owner/name"),
        /**
         * The connection's one-time console handshake is done (status AVAILABLE). false on the first
         * `pulumi up`; the admin sets it true after the handshake and runs `pulumi up` again, which
         * creates the CodeBuild project and its webhook.
         */
        connectionAuthorized: z.boolean().default(false),
    }),
});

export interface BootstrapConfig {
    readonly stack: string;
    readonly serves: string;
    readonly environment: (typeof environments)[number];
    readonly residency: ResidencyZone;
    readonly owner: string;
    readonly aws: { readonly accountId: string; readonly region: string; readonly vpcCidr: string };
    readonly github: { readonly repository: string; readonly connectionAuthorized: boolean };
    /** The CodeBuild project (and runner label stem): `learning-platform-<bootstrap stack>`. */
    readonly projectName: string;
}

/** Validates one bootstrap stack's raw config (keys without the `bootstrap:` prefix); throws listing every problem. */
export function parseBootstrapConfig(stack: string, raw: Record<string, unknown>): BootstrapConfig {
    const problems: string[] = [];
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            problems.push(`${BOOTSTRAP_PROJECT}:${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
        }
    }
    const projectName = `learning-platform-${stack}`;
    if (!codebuildProjectName.test(projectName)) {
        problems.push(`CodeBuild project name "${projectName}" (from the stack name) must match ${codebuildProjectName.source}`);
    }
    if (parsed.success) {
        const allowed = regionsAllowed("aws", parsed.data.residency);
        if (!allowed.includes(parsed.data.aws.region)) {
            problems.push(`${BOOTSTRAP_PROJECT}:aws.region: ${parsed.data.aws.region} is not in residency zone "${parsed.data.residency}"; allowed: ${allowed.join(", ")}`);
        }
        if (parsed.data.environment === "prod" && parsed.data.residency === "global") {
            problems.push(`${BOOTSTRAP_PROJECT}:residency: runners of a prod stack stay in its zone; allowed: us, eu, me, ap`);
        }
    }
    if (problems.length > 0 || !parsed.success) {
        throw new Error(`bootstrap stack "${stack}" has ${problems.length} configuration problem(s):\n  - ${problems.join("\n  - ")}`);
    }
    return { stack, ...parsed.data, projectName };
}
