import { Finding, finding } from "../data/findings";
import type { RegisteredResource } from "./engine";

/**
 * Inputs that carry credentials, by resource type. CrossGuard hands policies plaintext, so whether
 * these arrived as Pulumi secrets can only be checked where the secret markers are still visible:
 * here, in the offline run. A value present at one of these paths must be marked secret.
 */
export const sensitiveInputs: Readonly<Record<string, readonly string[]>> = {
    "aws:rds/cluster:Cluster": ["masterPassword"],
    "aws:rds/instance:Instance": ["password"],
    "aws:elasticache/replicationGroup:ReplicationGroup": ["authToken"],
    "aws:elasticache/user:User": ["passwords", "authenticationMode"],
    "aws:secretsmanager/secretVersion:SecretVersion": ["secretString", "secretBinary"],
    "aws:ssm/parameter:Parameter": ["value"],
    "aws:ec2/vpnConnection:VpnConnection": ["tunnel1PresharedKey", "tunnel2PresharedKey"],
    "gcp:sql/user:User": ["password"],
    "gcp:compute/vPNTunnel:VPNTunnel": ["sharedSecret"],
    "gcp:secretmanager/secretVersion:SecretVersion": ["secretData"],
    "kubernetes:core/v1:Secret": ["data", "stringData"],
};

/** Helm values that mention a credential key must be secret as a whole. */
const credentialKey = /"(password|pass|token|authToken|secret|privateKey|nkey)"\s*:/i;

function covered(path: string, secretPaths: readonly string[]): boolean {
    return secretPaths.some((p) => p === "" || path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

function has(props: Record<string, unknown>, key: string): boolean {
    const v = props[key];
    return v !== undefined && v !== null && !(typeof v === "object" && Object.keys(v as object).length === 0);
}

export function secretMarkingFindings(resources: readonly RegisteredResource[]): Finding[] {
    const out: Finding[] = [];
    for (const r of resources) {
        for (const key of sensitiveInputs[r.type] ?? []) {
            if (has(r.props, key) && !covered(key, r.secretPaths)) {
                out.push(finding("secrets-marked", "mandatory", r.name, `${r.type} input "${key}" is a credential but is not marked secret`));
            }
        }
        if (r.type === "kubernetes:helm.sh/v3:Release" && credentialKey.test(JSON.stringify(r.props.values ?? {})) && !covered("values", r.secretPaths)) {
            out.push(finding("secrets-marked", "mandatory", r.name, "Helm values carry a credential but are not marked secret"));
        }
    }
    return out;
}
